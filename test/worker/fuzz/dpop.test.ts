import fc from 'fast-check'
import { base64url, type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../../worker/src/crypto/hash'
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, basic, TENANT_ID } from '../helpers/tenant'
import { ISSUER } from '../helpers/worker'
import { headerSafe, hostileString } from './arbitraries'
import { type Fixtures, fixtures } from './fixtures'
import { checkProperty, exercise, FUZZ_TIMEOUT, send } from './harness'
import { expectBearerChallenge, expectOAuthJson, expectProblem } from './invariants'
import { RowCountTracker } from './row-counts'

let f: Fixtures
const rows = new RowCountTracker()
let privateKey: CryptoKey
let publicJwk: JWK
let privateJwk: JWK
/** An administrator client's access token bound to the fuzz key, for the resource cases. */
let boundToken: string

const API_PATH = `/api/v1/tenants/${TENANT_ID}/roles`
const encode = (value: unknown) => base64url.encode(JSON.stringify(value))

/** A compact JWS over any header and payload, signed (or not) with the fuzz key: ES256 bytes. */
async function jws(header: unknown, payload: unknown, signature: string) {
  const input = `${encode(header)}.${encode(payload)}`
  if (signature !== 'good' && signature !== 'bad') return `${input}.`
  const bytes = new Uint8Array(
    await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      privateKey,
      new TextEncoder().encode(input),
    ),
  )
  if (signature === 'bad') bytes[0] = (bytes[0] ?? 0) ^ 1
  return `${input}.${base64url.encode(bytes)}`
}

beforeAll(async () => {
  f = await fixtures()
  const pair = await generateKeyPair('ES256', { extractable: true })
  privateKey = pair.privateKey
  publicJwk = await exportJWK(pair.publicKey)
  privateJwk = await exportJWK(pair.privateKey)
  const now = Math.floor(Date.now() / 1000)
  const proof = await jws(
    { typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk },
    { jti: crypto.randomUUID(), htm: 'POST', htu: `${ISSUER}/token`, iat: now },
    'good',
  )
  const response = await send('/token', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
      DPoP: proof,
    },
    body: 'grant_type=client_credentials',
  })
  boundToken = ((await response.json()) as { access_token: string }).access_token
}, 60_000)

/** Mostly the right value, else a wrong one a proof checker must notice, or a hostile one. */
function mostly<T>(right: T, ...wrong: T[]): fc.Arbitrary<T | string> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(right) },
    { weight: 1, arbitrary: fc.constantFrom(...wrong) },
    { weight: 1, arbitrary: hostileString },
  )
}

/** Mostly null (left out), sometimes a value. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, arbitrary)
}

/** A DPoP proof made of mutated parts, or raw garbage. */
function proofParts(htm: string, htu: string) {
  return fc.record({
    typ: mostly('dpop+jwt', 'JWT', 'application/dpop+jwt'),
    alg: mostly('ES256', 'none', 'HS256', 'RS256', 'EdDSA'),
    jwk: mostly('public', 'private', 'oct', 'missing', 'string', 'array', 'wrong-crv'),
    jti: fc.oneof({ weight: 12, arbitrary: fc.uuid() }, hostileString, fc.constantFrom(42, '')),
    htm: mostly(htm, 'GET', 'post', 'PUT'),
    htu: mostly(htu, `${htu}/`, `${htu}?q=1#f`, htu.toUpperCase(), 'http://evil.example/token'),
    iatOffset: fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: -50, max: 4 }) },
      fc.constantFrom(-61, 6, -1e12, 1e308),
      fc.integer(),
    ),
    iatType: mostly('number', 'string', 'missing'),
    nonce: rarely(hostileString),
    ath: mostly('right', 'wrong', 'missing'),
    signature: mostly('good', 'bad', 'none'),
    extraHeader: rarely(fc.dictionary(hostileString, hostileString, { maxKeys: 2 })),
    garbage: rarely(hostileString),
    repeat: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, fc.constant(true)),
  })
}

/** The parts one case assembles a proof from. */
type Parts = ReturnType<typeof proofParts> extends fc.Arbitrary<infer T> ? T : never

async function buildProof(r: Parts, token?: string): Promise<string> {
  if (r.garbage !== null) return headerSafe(r.garbage)
  const jwk =
    r.jwk === 'public'
      ? publicJwk
      : r.jwk === 'private'
        ? privateJwk
        : r.jwk === 'oct'
          ? { kty: 'oct', k: 'c2VjcmV0' }
          : r.jwk === 'string'
            ? 'key'
            : r.jwk === 'array'
              ? [publicJwk]
              : r.jwk === 'wrong-crv'
                ? { ...publicJwk, crv: 'P-384' }
                : undefined
  const now = Math.floor(Date.now() / 1000)
  const iat = now + r.iatOffset
  const payload = {
    jti: r.jti,
    htm: r.htm,
    htu: r.htu,
    ...(r.iatType === 'number' && { iat }),
    ...(r.iatType === 'string' && { iat: String(iat) }),
    ...(r.nonce !== null && { nonce: r.nonce }),
    ...(token !== undefined &&
      r.ath !== 'missing' && { ath: r.ath === 'right' ? await sha256(token) : 'wrong' }),
  }
  const header = { ...r.extraHeader, typ: r.typ, alg: r.alg, ...(jwk !== undefined && { jwk }) }
  const proof = await jws(header, payload, r.signature)
  return r.repeat ? `${proof}, ${proof}` : proof
}

describe('fuzz: DPoP proofs (RFC 9449 §4.3)', () => {
  it('answers a token or invalid_dpop_proof / use_dpop_nonce in RFC 6749 JSON to any proof, never 5xx, binding every token it issues (RFC 9449 §4.3, §5)', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc.record({
      parts: proofParts('POST', `${ISSUER}/token`),
      resource: fc.boolean(),
    })
    await checkProperty('dpop', arbitrary, async ({ parts, resource }) => {
      if (resource) {
        const proof = await buildProof(
          {
            ...parts,
            htm: parts.htm === 'POST' ? 'GET' : parts.htm,
            htu: parts.htu.replace('/token', API_PATH),
          },
          boundToken,
        )
        const result = await exercise(rows, API_PATH, {
          headers: { Authorization: `DPoP ${boundToken}`, DPoP: proof },
        })
        if (result.status === 200) return
        expectProblem(result)
        // The API's per-token request limit (API_REQUESTS) is met in long runs.
        if (result.status === 429) return
        expect(result.status, result.body).toBe(401)
        expectBearerChallenge(result)
        expect(result.headers.get('WWW-Authenticate')).toMatch(/^DPoP /)
        return
      }
      const result = await exercise(rows, '/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: basic(f.service.id, f.service.secret),
          DPoP: await buildProof(parts),
        },
        body: 'grant_type=client_credentials',
      })
      expectOAuthJson200Or(result)
    })
  })
})

function expectOAuthJson200Or(result: Awaited<ReturnType<typeof exercise>>) {
  if (result.status === 200) {
    expect(JSON.parse(result.body)).toMatchObject({ token_type: 'DPoP' })
    return
  }
  expect(result.status, result.body).toBe(400)
  expectOAuthJson(result)
  expect(['invalid_dpop_proof', 'use_dpop_nonce']).toContain(JSON.parse(result.body).error)
}
