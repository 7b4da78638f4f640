import { describe, expect, it } from 'vitest'
import { callMcp, METADATA_URL, protectedApp } from './helpers/app'
import { forgedTokens, NOW, RESOURCE, testIssuer } from './helpers/issuer'

const INVALID = `Bearer error="invalid_token", error_description="The access token is invalid or expired", resource_metadata="${METADATA_URL}"`

describe('access tokens at a protected resource (RFC 9068, RFC 6750)', () => {
  it('lets a valid token through and puts its claims in c.get("auth")', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer)
    const token = await issuer.sign({ tid: 't-1' })
    const response = await callMcp(app, { Authorization: `Bearer ${token}` })
    expect(response.status).toBe(200)
    const auth = (await response.json()) as Record<string, unknown>
    expect(auth).toMatchObject({
      token,
      subject: 'user-1',
      clientId: 'client-1',
      scopes: ['mcp:tools'],
      audience: [RESOURCE],
      expiresAt: NOW + 300,
      issuedAt: NOW,
    })
    expect(auth).not.toHaveProperty('jkt')
    expect((auth.claims as Record<string, unknown>).tid).toBe('t-1')
  })

  it('finds the keys through RFC 8414 discovery once, then serves from the cache', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer)
    for (let i = 0; i < 3; i++) {
      const token = await issuer.sign()
      expect((await callMcp(app, { Authorization: `Bearer ${token}` })).status).toBe(200)
    }
    expect(issuer.fetched).toEqual([
      'https://id.example/.well-known/oauth-authorization-server',
      'https://id.example/jwks',
    ])
  })

  it('answers 401 with only resource_metadata when no token is sent (RFC 9728 §5.1, RFC 6750 §3.1)', async () => {
    const { app } = protectedApp(await testIssuer())
    const response = await callMcp(app, {})
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      `Bearer resource_metadata="${METADATA_URL}"`,
    )
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'An access token is required',
    })
  })

  it('treats another scheme as no token and a token in the query as none (header only)', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer)
    const basic = await callMcp(app, { Authorization: 'Basic dXNlcjpwYXNz' })
    expect(basic.status).toBe(401)
    expect(basic.headers.get('WWW-Authenticate')).toBe(`Bearer resource_metadata="${METADATA_URL}"`)
    const query = await app.request(`${RESOURCE}?access_token=${await issuer.sign()}`, {
      method: 'POST',
    })
    expect(query.status).toBe(401)
  })

  it('answers 400 invalid_request to a malformed Bearer header, never a 500', async () => {
    const { app } = protectedApp(await testIssuer())
    for (const header of ['Bearer', 'Bearer a b', 'Bearer "x"', 'DPoP ', 'bearer a,b']) {
      const response = await callMcp(app, { Authorization: header })
      expect(response.status, header).toBe(400)
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer error="invalid_request"/)
    }
  })

  it('refuses garbage tokens with invalid_token, never a 500', async () => {
    const { app } = protectedApp(await testIssuer())
    for (const token of ['x', 'a.b.c', 'eyJhbGciOiJFUzI1NiJ9.e30.AAAA', `${'A'.repeat(5000)}`]) {
      const response = await callMcp(app, { Authorization: `Bearer ${token}` })
      expect(response.status, token).toBe(401)
      expect(response.headers.get('WWW-Authenticate')).toBe(INVALID)
    }
  })

  const refusals: [string, (issuer: Awaited<ReturnType<typeof testIssuer>>) => Promise<string>][] =
    [
      ['another audience (RFC 8707 §2)', (i) => i.sign({ aud: 'https://other.example/mcp' })],
      ['another issuer', (i) => i.sign({ iss: 'https://evil.example' })],
      ['an issuer with a trailing slash', (i) => i.sign({ iss: 'https://id.example/' })],
      ['an expired token', (i) => i.sign({ exp: NOW - 10 })],
      ['a token not yet valid (nbf)', (i) => i.sign({ nbf: NOW + 60 })],
      ['typ JWT, e.g. an ID token (RFC 9068 §4)', (i) => i.sign({}, { typ: 'JWT' })],
      ['no client_id (RFC 9068 §2.2)', (i) => i.sign({ client_id: undefined })],
      ['no jti (RFC 9068 §2.2)', (i) => i.sign({ jti: undefined })],
      ['an unknown kid', (i) => i.sign({}, { kid: 'k2' })],
      [
        'a bad signature',
        async (i) => {
          const [header, payload] = (await i.sign()).split('.')
          const other = (await i.sign({ sub: 'someone-else' })).split('.')[2]
          return `${header}.${payload}.${other}`
        },
      ],
      ['alg none', async () => (await forgedTokens(claimsFor())).none],
      ['HS256 (no symmetric algorithms)', async () => (await forgedTokens(claimsFor())).hs256],
    ]

  for (const [name, make] of refusals) {
    it(`refuses ${name} with 401 invalid_token and resource_metadata (RFC 6750 §3.1)`, async () => {
      const issuer = await testIssuer()
      const { app } = protectedApp(issuer)
      const response = await callMcp(app, { Authorization: `Bearer ${await make(issuer)}` })
      expect(response.status).toBe(401)
      expect(response.headers.get('WWW-Authenticate')).toBe(INVALID)
      expect(response.headers.get('Cache-Control')).toBe('no-store')
      expect(await response.json()).toEqual({
        error: 'invalid_token',
        error_description: 'The access token is invalid or expired',
      })
    })
  }

  it('G08 refuses an ID token (typ JWT, aud the client) presented as an access token (RFC 9068 §4)', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer)
    const idToken = await issuer.sign({ aud: [RESOURCE, 'client-1'], nonce: 'n' }, { typ: 'JWT' })
    const response = await callMcp(app, { Authorization: `Bearer ${idToken}` })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(INVALID)
  })

  it('accepts a token within the clock tolerance of its expiry', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer)
    const token = await issuer.sign({ exp: NOW - 3 })
    expect((await callMcp(app, { Authorization: `Bearer ${token}` })).status).toBe(200)
  })

  it('answers 403 insufficient_scope naming the scope needed (RFC 6750 §3.1)', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer)
    const token = await issuer.sign({ scope: 'openid mcp:read' })
    const response = await callMcp(app, { Authorization: `Bearer ${token}` })
    expect(response.status).toBe(403)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
    )
    expect(((await response.json()) as { error: string }).error).toBe('insufficient_scope')
  })

  it('names the realm when one is configured', async () => {
    const { app } = protectedApp(await testIssuer(), { realm: 'mcp' })
    const response = await callMcp(app, {})
    expect(response.headers.get('WWW-Authenticate')).toBe(
      `Bearer realm="mcp", resource_metadata="${METADATA_URL}"`,
    )
  })

  it('answers 503 without a challenge when the issuer cannot be discovered', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer, {
      fetch: (async () => new Response('down', { status: 502 })) as typeof fetch,
    })
    const response = await callMcp(app, { Authorization: `Bearer ${await issuer.sign()}` })
    expect(response.status).toBe(503)
    expect(response.headers.get('WWW-Authenticate')).toBeNull()
    expect(((await response.json()) as { error: string }).error).toBe('temporarily_unavailable')
  })

  it('refuses discovery metadata that names another issuer (RFC 8414 §3.3)', async () => {
    const issuer = await testIssuer()
    const { app } = protectedApp(issuer, {
      fetch: (async () =>
        Response.json({ issuer: 'https://evil.example', jwks_uri: 'x' })) as typeof fetch,
    })
    const response = await callMcp(app, { Authorization: `Bearer ${await issuer.sign()}` })
    expect(response.status).toBe(503)
  })
})

function claimsFor() {
  return {
    iss: 'https://id.example',
    aud: RESOURCE,
    sub: 'user-1',
    client_id: 'client-1',
    scope: 'mcp:tools',
    jti: 'j',
    iat: NOW,
    exp: NOW + 300,
  }
}
