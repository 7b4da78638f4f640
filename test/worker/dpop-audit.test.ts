import { base64url, calculateJwkThumbprint, decodeJwt } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { dpopKey, dpopProof } from './helpers/dpop'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  basic,
  seedDemoTenant,
  TENANT_ID,
} from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

// Attacks on the DPoP implementation tried by the audit of stop 19 (issue 15) at the routes, the
// way an outside client would send them. Each must keep failing closed with a standard error.

const ADMIN = basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET)
const API_PATH = `/api/v1/tenants/${TENANT_ID}/roles`
const FORM = new URLSearchParams({ grant_type: 'client_credentials' }).toString()

function token(headers: Headers) {
  headers.set('Content-Type', 'application/x-www-form-urlencoded')
  headers.set('Authorization', ADMIN)
  return fetchWorker('/token', { method: 'POST', headers, body: FORM })
}

async function expectInvalidProof(response: Response) {
  expect(response.status).toBe(400)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  expect(((await response.json()) as { error: string }).error).toBe('invalid_dpop_proof')
}

beforeAll(seedDemoTenant)

describe('DPoP attacks at the routes (RFC 9449)', () => {
  it('refuses two DPoP headers at the token endpoint, even two valid proofs (RFC 9449 §4.3 item 1)', async () => {
    const key = await dpopKey()
    const headers = new Headers()
    headers.append('DPoP', await dpopProof(key))
    headers.append('DPoP', await dpopProof(key))
    await expectInvalidProof(await token(headers))
  })

  it('refuses a proof whose RSA key is shorter than 2048 bits with invalid_dpop_proof, never a 5xx (RFC 9449 §4.3 item 6)', async () => {
    const pair = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair
    const { kty, n, e } = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey
    const encode = (value: object) => base64url.encode(JSON.stringify(value))
    const input = `${encode({ alg: 'RS256', typ: 'dpop+jwt', jwk: { kty, n, e } })}.${encode({
      jti: crypto.randomUUID(),
      htm: 'POST',
      htu: `${ISSUER}/token`,
      iat: Math.floor(Date.now() / 1000),
    })}`
    const signature = await crypto.subtle.sign(
      'RSASSA-PKCS1-v1_5',
      pair.privateKey,
      new TextEncoder().encode(input),
    )
    const proof = `${input}.${base64url.encode(new Uint8Array(signature))}`
    await expectInvalidProof(await token(new Headers({ DPoP: proof })))
  })

  it('binds to the RFC 7638 thumbprint of the required members only: kid, x5c or alg in the jwk change nothing (RFC 9449 §6.1)', async () => {
    const key = await dpopKey()
    const decorated = { ...key.publicJwk, kid: 'attacker-chosen', alg: 'ES256', x5c: ['AAAA'] }
    const proof = await dpopProof(key, { header: { jwk: decorated } })
    const response = await token(new Headers({ DPoP: proof }))
    expect(response.status).toBe(200)
    const { access_token } = (await response.json()) as { access_token: string }
    expect(decodeJwt(access_token).cnf).toEqual({ jkt: key.jkt })
    expect(await calculateJwkThumbprint(decorated, 'sha256')).toBe(key.jkt)
  })

  it('refuses at the management API a proof made for the token endpoint, and one made for another bound token (RFC 9449 §4.3 items 8, 9, 12)', async () => {
    const key = await dpopKey()
    const issue = async () => {
      const response = await token(new Headers({ DPoP: await dpopProof(key) }))
      return ((await response.json()) as { access_token: string }).access_token
    }
    const [first, second] = [await issue(), await issue()]
    const call = (proof: string) =>
      fetchWorker(API_PATH, { headers: { Authorization: `DPoP ${first}`, DPoP: proof } })
    const forToken = await call(await dpopProof(key, { accessToken: first }))
    expect(forToken.status).toBe(401)
    expect(forToken.headers.get('WWW-Authenticate')).toMatch(/error="invalid_dpop_proof"/)
    const forOther = await call(
      await dpopProof(key, { htm: 'GET', htu: `${ISSUER}${API_PATH}`, accessToken: second }),
    )
    expect(forOther.status).toBe(401)
    const right = await call(
      await dpopProof(key, { htm: 'GET', htu: `${ISSUER}${API_PATH}`, accessToken: first }),
    )
    expect(right.status).toBe(200)
  })

  it('refuses a bound token sent with the scheme twice or with both schemes in one header (RFC 9449 §7.1)', async () => {
    const key = await dpopKey()
    const response = await token(new Headers({ DPoP: await dpopProof(key) }))
    const { access_token: at } = (await response.json()) as { access_token: string }
    const proof = await dpopProof(key, { htm: 'GET', htu: `${ISSUER}${API_PATH}`, accessToken: at })
    for (const authorization of [`DPoP ${at}, DPoP ${at}`, `Bearer ${at}, DPoP ${at}`]) {
      const refused = await fetchWorker(API_PATH, {
        headers: { Authorization: authorization, DPoP: proof },
      })
      expect(refused.status).toBe(401)
    }
  })
})
