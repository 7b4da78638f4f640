import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../worker/src/app'
import { OAuthError } from '../../../worker/src/errors'
import { checkDpopProof, type DpopProofInput } from '../../../worker/src/steps/check-dpop-proof'
import { issueDpopNonce } from '../../../worker/src/steps/dpop-nonce'
import { testDeps } from '../helpers/deps'
import { type DpopAlg, dpopKey, dpopProof } from '../helpers/dpop'
import { ISSUER, testConfig } from '../helpers/worker'

const NOW = Math.floor(Date.now() / 1000)
const TOKEN_URL = `${ISSUER}/token`
const deps = testDeps({ now: () => NOW })

function check(proof: string, input: Partial<DpopProofInput> = {}) {
  return checkDpopProof(deps, {
    proof,
    method: 'POST',
    url: TOKEN_URL,
    requireNonce: false,
    ...input,
  })
}

async function refusal(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof OAuthError)) throw new Error(`expected an OAuthError, got ${error}`)
  return error
}

async function expectInvalid(promise: Promise<unknown>) {
  const error = await refusal(promise)
  expect(error.code).toBe('invalid_dpop_proof')
  expect(error.status).toBe(400)
}

/** A compact JWS with any header and payload, signed by nothing (for malformed proofs). */
function unsigned(header: object, payload: object, signature = ''): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value))
  return `${encode(header)}.${encode(payload)}.${signature}`
}

describe('DPoP proof checks (RFC 9449 §4.3)', () => {
  it('accepts a proof made now for this method and URL, and answers its key thumbprint', async () => {
    const key = await dpopKey()
    expect(await check(await dpopProof(key))).toEqual({ jkt: key.jkt })
  })

  it.each<DpopAlg>(['ES256', 'EdDSA', 'RS256', 'PS256'])(
    'accepts a proof signed with %s, an advertised algorithm (RFC 9449 §5.1)',
    async (alg) => {
      const key = await dpopKey(alg)
      expect(await check(await dpopProof(key))).toEqual({ jkt: key.jkt })
    },
  )

  it('refuses more than one DPoP header, which arrive joined by a comma (RFC 9449 §4.3 item 1)', async () => {
    const key = await dpopKey()
    const proof = `${await dpopProof(key)}, ${await dpopProof(key)}`
    await expectInvalid(check(proof))
  })

  it('refuses a value that is not a well-formed JWT (RFC 9449 §4.3 item 2)', async () => {
    await expectInvalid(check('not-a-jwt'))
    await expectInvalid(check('a.b.c'))
    await expectInvalid(check(''))
    await expectInvalid(check(`${'a'.repeat(5000)}.b.c`))
  })

  it.each(['jti', 'htm', 'htu', 'iat'])(
    'refuses a proof without the required claim %s (RFC 9449 §4.3 item 3)',
    async (claim) => {
      const key = await dpopKey()
      await expectInvalid(check(await dpopProof(key, { claims: { [claim]: undefined } })))
    },
  )

  it('refuses claims of the wrong type: a numeric jti, a string iat (RFC 9449 §4.3 item 3)', async () => {
    const key = await dpopKey()
    await expectInvalid(check(await dpopProof(key, { claims: { jti: 42 } })))
    await expectInvalid(check(await dpopProof(key, { claims: { iat: String(NOW) } })))
  })

  it('refuses a typ other than dpop+jwt (RFC 9449 §4.3 item 4)', async () => {
    const key = await dpopKey()
    await expectInvalid(check(await dpopProof(key, { header: { typ: 'JWT' } })))
    await expectInvalid(check(await dpopProof(key, { header: { typ: 'at+jwt' } })))
  })

  it('refuses alg none, whatever the rest says (RFC 9449 §4.3 item 5)', async () => {
    const key = await dpopKey()
    const proof = unsigned(
      { alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk },
      { jti: 'x', htm: 'POST', htu: TOKEN_URL, iat: NOW },
    )
    await expectInvalid(check(proof))
  })

  it('refuses an HMAC proof (HS256 with a symmetric jwk) (RFC 9449 §4.3 items 5 and 7)', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const proof = await new SignJWT({ jti: 'h', htm: 'POST', htu: TOKEN_URL, iat: NOW })
      .setProtectedHeader({
        alg: 'HS256',
        typ: 'dpop+jwt',
        jwk: { kty: 'oct', k: base64url.encode(secret) } as JWK,
      })
      .sign(secret)
    await expectInvalid(check(proof))
  })

  it('refuses an asymmetric algorithm that is not advertised, ES384 (RFC 9449 §4.3 item 5)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES384')
    const proof = await new SignJWT({ jti: 'e', htm: 'POST', htu: TOKEN_URL, iat: NOW })
      .setProtectedHeader({ alg: 'ES384', typ: 'dpop+jwt', jwk: await exportJWK(publicKey) })
      .sign(privateKey)
    await expectInvalid(check(proof))
  })

  it('refuses a signature made by another key than the jwk in the header (RFC 9449 §4.3 item 6)', async () => {
    const key = await dpopKey()
    const other = await dpopKey()
    await expectInvalid(check(await dpopProof(key, { header: { jwk: other.publicJwk } })))
  })

  it('refuses a jwk whose key type does not fit the alg (RFC 9449 §4.3 item 6)', async () => {
    const key = await dpopKey()
    const rsa = await dpopKey('RS256')
    await expectInvalid(check(await dpopProof(key, { header: { jwk: rsa.publicJwk } })))
  })

  it('refuses a jwk that carries private members (RFC 9449 §4.3 item 7)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
    const privateJwk = await exportJWK(privateKey)
    const proof = await new SignJWT({ jti: 'p', htm: 'POST', htu: TOKEN_URL, iat: NOW })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
      .sign(privateKey)
    await expectInvalid(check(proof))
    const withD = { ...(await exportJWK(publicKey)), d: privateJwk.d }
    const key = { ...(await dpopKey()), privateKey }
    await expectInvalid(check(await dpopProof(key, { header: { jwk: withD } })))
  })

  it('refuses a proof without a jwk header (RFC 9449 §4.3 items 6 and 7)', async () => {
    const key = await dpopKey()
    await expectInvalid(check(await dpopProof(key, { header: { jwk: undefined } })))
    await expectInvalid(check(await dpopProof(key, { header: { jwk: 'key' } })))
  })

  it('refuses a proof whose htm is not the request method (RFC 9449 §4.3 item 8)', async () => {
    const key = await dpopKey()
    await expectInvalid(check(await dpopProof(key, { htm: 'GET' })))
    await expectInvalid(check(await dpopProof(key, { htm: 'post' })))
  })

  it('accepts an htu that differs only by query, fragment, host case or default port (RFC 9449 §4.3 item 9)', async () => {
    const key = await dpopKey()
    for (const htu of [
      `${TOKEN_URL}?a=b`,
      `${TOKEN_URL}#frag`,
      'HTTP://LOCALHOST:8787/token',
      'https://auth.example.com:443/token',
    ]) {
      const url = htu.startsWith('https') ? 'https://auth.example.com/token' : TOKEN_URL
      expect(await check(await dpopProof(key, { htu }), { url })).toEqual({ jkt: key.jkt })
    }
  })

  it('refuses an htu for another URL: trailing slash, path case, port, scheme, host, credentials (RFC 9449 §4.3 item 9)', async () => {
    const key = await dpopKey()
    for (const htu of [
      `${TOKEN_URL}/`,
      `${ISSUER}/Token`,
      'http://localhost:8788/token',
      'https://localhost:8787/token',
      'http://evil.example/token',
      'http://user:pass@localhost:8787/token',
      `${ISSUER}/userinfo`,
      '/token',
      'not a url',
    ]) {
      await expectInvalid(check(await dpopProof(key, { htu })))
    }
    await expectInvalid(check(await dpopProof(key, { claims: { htu: 42 } })))
  })

  it('asks for a nonce with use_dpop_nonce and a fresh DPoP-Nonce when one is required (RFC 9449 §4.3 item 10, §8)', async () => {
    const key = await dpopKey()
    const error = await refusal(check(await dpopProof(key), { requireNonce: true }))
    expect(error.code).toBe('use_dpop_nonce')
    expect(error.status).toBe(400)
    const nonce = error.headers['DPoP-Nonce'] ?? ''
    expect(nonce).not.toBe('')
    const retried = await check(await dpopProof(key, { nonce }), { requireNonce: true })
    expect(retried).toEqual({ jkt: key.jkt })
  })

  it('accepts a nonce issued by another isolate, and refuses a forged or foreign one (RFC 9449 §4.3 item 10, §8)', async () => {
    const key = await dpopKey()
    // Another isolate: its own services, the same configuration.
    const other = testDeps({ now: () => NOW, ...pick(createServices(testConfig())) })
    const nonce = await issueDpopNonce(other)
    expect(await check(await dpopProof(key, { nonce }), { requireNonce: true })).toEqual({
      jkt: key.jkt,
    })
    const forged = `${nonce.slice(0, -2)}AA`
    for (const bad of [forged, 'made-up', await deps.sealed.seal('interaction', 1, 60)]) {
      const error = await refusal(check(await dpopProof(key, { nonce: bad })))
      expect(error.code).toBe('use_dpop_nonce')
    }
  })

  it('refuses a proof whose iat is outside the window: a minute old or in the future (RFC 9449 §4.3 item 11, §11.1)', async () => {
    const key = await dpopKey()
    await expectInvalid(check(await dpopProof(key, { iat: NOW - 61 })))
    await expectInvalid(check(await dpopProof(key, { iat: NOW + 30 })))
    expect(await check(await dpopProof(key, { iat: NOW - 59 }))).toEqual({ jkt: key.jkt })
    expect(await check(await dpopProof(key, { iat: NOW + 4 }))).toEqual({ jkt: key.jkt })
  })

  it('refuses a proof at a resource whose ath is not the hash of the access token (RFC 9449 §4.3 item 12)', async () => {
    const key = await dpopKey()
    const url = `${ISSUER}/userinfo`
    const input = { method: 'GET', url, accessToken: 'the-token' }
    await expectInvalid(check(await dpopProof(key, { htm: 'GET', htu: url }), input))
    await expectInvalid(
      check(await dpopProof(key, { htm: 'GET', htu: url, accessToken: 'another' }), input),
    )
    const proof = await dpopProof(key, { htm: 'GET', htu: url, accessToken: 'the-token' })
    expect(await check(proof, input)).toEqual({ jkt: key.jkt })
  })

  it('M01 refuses a proof presented a second time: its jti is single use (RFC 9449 §11.1)', async () => {
    const key = await dpopKey()
    const proof = await dpopProof(key)
    await check(proof)
    await expectInvalid(check(proof))
  })

  it('M01 accepts a proof exactly once when isolates race with it: the jti is recorded in D1 (RFC 9449 §11.1)', async () => {
    const key = await dpopKey()
    const proof = await dpopProof(key)
    const isolates = Array.from({ length: 6 }, () =>
      testDeps({ now: () => NOW, ...pick(createServices(testConfig())) }),
    )
    const outcomes = await Promise.allSettled(
      isolates.map((isolate) =>
        checkDpopProof(isolate, { proof, method: 'POST', url: TOKEN_URL, requireNonce: false }),
      ),
    )
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
  })

  it('keeps the same jti apart for two keys: replay is judged per key', async () => {
    const [a, b] = [await dpopKey(), await dpopKey()]
    await check(await dpopProof(a, { jti: 'shared-jti' }))
    expect(await check(await dpopProof(b, { jti: 'shared-jti' }))).toEqual({ jkt: b.jkt })
  })
})

/** The per-isolate services of a `Deps`. */
function pick(services: ReturnType<typeof createServices>) {
  return { keyring: services.keyring, sealed: services.sealed, clientCache: services.clientCache }
}
