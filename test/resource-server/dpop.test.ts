import { describe, expect, it } from 'vitest'
import { callMcp, METADATA_URL, protectedApp } from './helpers/app'
import { dpopKey, NOW, RESOURCE, testIssuer } from './helpers/issuer'

const ALGS = 'algs="ES256 EdDSA RS256 PS256"'
const proofChallenge = (description: string) =>
  `DPoP ${ALGS}, error="invalid_dpop_proof", error_description="${description}", resource_metadata="${METADATA_URL}"`
const tokenChallenge = (description: string) =>
  `DPoP ${ALGS}, error="invalid_token", error_description="${description}", resource_metadata="${METADATA_URL}"`

async function bound() {
  const issuer = await testIssuer()
  const key = await dpopKey()
  const token = await issuer.sign({ cnf: { jkt: key.jkt } })
  return { issuer, key, token }
}

describe('DPoP-bound access tokens (RFC 9449 §7)', () => {
  it('accepts a bound token with the DPoP scheme and a proof of its key', async () => {
    const { issuer, key, token } = await bound()
    const { app } = protectedApp(issuer)
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token })
    const response = await callMcp(app, { Authorization: `DPoP ${token}`, DPoP: proof })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { jkt: string }).jkt).toBe(key.jkt)
  })

  it('refuses a bound token sent as Bearer, with a DPoP challenge (RFC 9449 §7.2)', async () => {
    const { issuer, key, token } = await bound()
    const { app } = protectedApp(issuer)
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token })
    const response = await callMcp(app, { Authorization: `Bearer ${token}`, DPoP: proof })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      tokenChallenge('The access token is DPoP-bound; send it with the DPoP scheme'),
    )
  })

  it('refuses an unbound token sent with the DPoP scheme (RFC 9449 §7.1)', async () => {
    const issuer = await testIssuer()
    const key = await dpopKey()
    const token = await issuer.sign()
    const { app } = protectedApp(issuer)
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token })
    const response = await callMcp(app, { Authorization: `DPoP ${token}`, DPoP: proof })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      tokenChallenge('The access token is not DPoP-bound; send it as Bearer'),
    )
  })

  it('refuses a bound token without a proof', async () => {
    const { issuer, token } = await bound()
    const { app } = protectedApp(issuer)
    const response = await callMcp(app, { Authorization: `DPoP ${token}` })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      proofChallenge('A DPoP proof is required'),
    )
    expect(((await response.json()) as { error: string }).error).toBe('invalid_dpop_proof')
  })

  const wrongProofs: [string, Record<string, unknown>, string][] = [
    ['ath', { ath: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'ath does not match'],
    ['htu', { htu: 'https://api.example/other' }, 'htu does not match'],
    ['htm', { htm: 'GET' }, 'htm does not match'],
    ['iat (too old)', { iat: NOW - 120 }, 'iat is outside'],
    ['iat (in the future)', { iat: NOW + 60 }, 'iat is outside'],
  ]
  for (const [name, overrides, reason] of wrongProofs) {
    it(`refuses a proof with the wrong ${name} (RFC 9449 §4.3)`, async () => {
      const { issuer, key, token } = await bound()
      const { app } = protectedApp(issuer)
      const proof = await key.proof({ method: 'POST', url: RESOURCE, token }, overrides)
      const response = await callMcp(app, { Authorization: `DPoP ${token}`, DPoP: proof })
      expect(response.status).toBe(401)
      expect(response.headers.get('WWW-Authenticate')).toMatch(
        new RegExp(`^DPoP ${ALGS}, error="invalid_dpop_proof", error_description="[^"]*${reason}`),
      )
    })
  }

  it('accepts an htu that differs only by query and default port (RFC 9449 §4.3 item 9)', async () => {
    const { issuer, key, token } = await bound()
    const { app } = protectedApp(issuer)
    const proof = await key.proof({ method: 'POST', url: 'https://API.example:443/mcp', token })
    const response = await app.request(`${RESOURCE}?x=1`, {
      method: 'POST',
      headers: { Authorization: `DPoP ${token}`, DPoP: proof },
    })
    expect(response.status).toBe(200)
  })

  it('refuses a proof by another key than the bound one (jkt, RFC 9449 §7.1)', async () => {
    const { issuer, token } = await bound()
    const other = await dpopKey()
    const { app } = protectedApp(issuer)
    const proof = await other.proof({ method: 'POST', url: RESOURCE, token })
    const response = await callMcp(app, { Authorization: `DPoP ${token}`, DPoP: proof })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      proofChallenge('The DPoP proof key is not the key the token is bound to'),
    )
  })

  it('refuses a replayed proof (same jti, RFC 9449 §11.1)', async () => {
    const { issuer, key, token } = await bound()
    const { app } = protectedApp(issuer)
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token })
    const headers = { Authorization: `DPoP ${token}`, DPoP: proof }
    expect((await callMcp(app, headers)).status).toBe(200)
    const replay = await callMcp(app, headers)
    expect(replay.status).toBe(401)
    expect(replay.headers.get('WWW-Authenticate')).toBe(
      proofChallenge('The DPoP proof was used before'),
    )
  })

  it('uses the replay store it is given', async () => {
    const { issuer, key, token } = await bound()
    const keys: string[] = []
    const { app } = protectedApp(issuer, {
      replayStore: {
        record: (k) => {
          keys.push(k)
          return false
        },
      },
    })
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token }, { jti: 'one' })
    expect((await callMcp(app, { Authorization: `DPoP ${token}`, DPoP: proof })).status).toBe(401)
    expect(keys).toEqual([`${key.jkt}:one`])
  })

  it('refuses two DPoP headers, a proof that is no JWT and one with typ JWT', async () => {
    const { issuer, key, token } = await bound()
    const { app } = protectedApp(issuer)
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token })
    for (const header of [`${proof}, ${proof}`, 'not-a-jwt', token]) {
      const response = await callMcp(app, { Authorization: `DPoP ${token}`, DPoP: header })
      expect(response.status).toBe(401)
      expect(((await response.json()) as { error: string }).error).toBe('invalid_dpop_proof')
    }
  })

  it('answers insufficient_scope with a DPoP challenge for a bound token', async () => {
    const issuer = await testIssuer()
    const key = await dpopKey()
    const token = await issuer.sign({ cnf: { jkt: key.jkt }, scope: 'other' })
    const { app } = protectedApp(issuer)
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token })
    const response = await callMcp(app, { Authorization: `DPoP ${token}`, DPoP: proof })
    expect(response.status).toBe(403)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      `DPoP ${ALGS}, error="insufficient_scope", error_description="The access token lacks a required scope", scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
    )
  })

  it('refuses unbound tokens when DPoP is required, and bound ones when it is off', async () => {
    const issuer = await testIssuer()
    const unbound = await issuer.sign()
    const required = protectedApp(issuer, { dpop: 'required' }).app
    expect((await callMcp(required, { Authorization: `Bearer ${unbound}` })).status).toBe(401)
    const key = await dpopKey()
    const off = protectedApp(issuer, { dpop: 'off' }).app
    const token = await issuer.sign({ cnf: { jkt: key.jkt } })
    const proof = await key.proof({ method: 'POST', url: RESOURCE, token })
    const response = await callMcp(off, { Authorization: `DPoP ${token}`, DPoP: proof })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer error="invalid_token"/)
  })
})
