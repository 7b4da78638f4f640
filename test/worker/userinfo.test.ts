import { beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, signedInTokens } from './helpers/browser'
import { adminToken, seedDemoTenant } from './helpers/tenant'
import { fetchWorker } from './helpers/worker'

let tokens: { access_token: string; id_token: string }

beforeAll(async () => {
  await seedDemoTenant()
  ;({ tokens } = await signedInTokens())
})

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

describe('userinfo endpoint (OIDC Core §5.3)', () => {
  it('answers sub, name and email for a token with openid profile email, with GET and POST', async () => {
    for (const method of ['GET', 'POST']) {
      const response = await fetchWorker('/userinfo', {
        method,
        headers: bearer(tokens.access_token),
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('Cache-Control')).toBe('no-store')
      const claims = (await response.json()) as Record<string, unknown>
      expect(claims).toEqual({
        sub: expect.any(String),
        name: 'Demo Administrator',
        email: ADMIN_EMAIL,
      })
    }
  })

  it('accepts the token in a POST form body (RFC 6750 §2.2)', async () => {
    const response = await fetchWorker('/userinfo', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `access_token=${tokens.access_token}`,
    })
    expect(response.status).toBe(200)
  })

  it('M03 refuses an access token in the query string', async () => {
    const response = await fetchWorker(`/userinfo?access_token=${tokens.access_token}`)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('M04 answers an invalid or expired token with 401 and a Bearer invalid_token challenge, in JSON', async () => {
    const response = await fetchWorker('/userinfo', {
      headers: bearer(`${tokens.access_token.slice(0, -4)}AAAA`),
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="userinfo", error="invalid_token"',
    )
    expect(response.headers.get('Content-Type')).toBe('application/json')
    expect(((await response.json()) as { error: string }).error).toBe('invalid_token')
  })

  it('answers a request without a token with 401 and a challenge without an error code (RFC 6750 §3.1)', async () => {
    const response = await fetchWorker('/userinfo')
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="userinfo"')
  })

  it('G08 refuses an ID token presented as an access token', async () => {
    expect((await fetchWorker('/userinfo', { headers: bearer(tokens.id_token) })).status).toBe(401)
  })

  it('refuses a client-credentials token (not for userinfo)', async () => {
    expect((await fetchWorker('/userinfo', { headers: bearer(await adminToken()) })).status).toBe(
      401,
    )
  })

  it('answers any other method with a JSON 405', async () => {
    const response = await fetchWorker('/userinfo', { method: 'DELETE' })
    expect(response.status).toBe(405)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
  })

  it("lets the SPA's origin read the answer", async () => {
    const response = await fetchWorker('/userinfo', {
      headers: { ...bearer(tokens.access_token), Origin: 'http://localhost:5173' },
    })
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173')
    const foreign = await fetchWorker('/userinfo', {
      headers: { ...bearer(tokens.access_token), Origin: 'https://evil.example' },
    })
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})
