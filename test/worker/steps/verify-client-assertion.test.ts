import { env } from 'cloudflare:workers'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_CLIENT_ASSERTION_LIFETIME_SECONDS } from '../../../worker/src/domain/client-assertion'
import { clientJwksCacheKey } from '../../../worker/src/outbound/fetch-jwks'
import { verifyClientAssertion } from '../../../worker/src/steps/verify-client-assertion'
import { testDeps } from '../helpers/deps'
import { ISSUER } from '../helpers/worker'

/** The frozen clock. */
const T = 1_900_000_000
const client = { id: 'assertion-client', jwksUri: `https://jwks.invalid/${crypto.randomUUID()}` }
let sign: (claims: JWTPayload) => Promise<string>

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1' }
  await env.CACHE.put(await clientJwksCacheKey(client.jwksUri), JSON.stringify({ keys: [jwk] }))
  sign = (claims) =>
    new SignJWT({
      iss: client.id,
      sub: client.id,
      aud: ISSUER,
      exp: T + 60,
      jti: crypto.randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey)
})

const verify = async (claims: JWTPayload) =>
  verifyClientAssertion(testDeps({ now: () => T }), client, await sign(claims))

describe('verifyClientAssertion (RFC 7523 §3, frozen clock)', () => {
  it('accepts an exp up to five minutes ahead, and refuses one second more', async () => {
    expect(await verify({ exp: T + MAX_CLIENT_ASSERTION_LIFETIME_SECONDS })).toBeUndefined()
    expect(await verify({ exp: T + MAX_CLIENT_ASSERTION_LIFETIME_SECONDS + 1 })).toBe('lifetime')
    expect(await verify({ exp: T })).toBe('lifetime')
  })

  it('accepts aud as the issuer alone, as a string or a one-element array', async () => {
    expect(await verify({ aud: [ISSUER] })).toBeUndefined()
    expect(await verify({ aud: [ISSUER, 'https://other.example'] })).toBe('audience')
    expect(await verify({ aud: `${ISSUER}/token` })).toBe('audience')
  })

  it('M01 records the jti per client: the same jti is refused the second time', async () => {
    const jti = crypto.randomUUID()
    expect(await verify({ jti })).toBeUndefined()
    expect(await verify({ jti })).toBe('replayed')
  })

  it('refuses a missing exp or jti, and an iss or sub that is not the client', async () => {
    expect(await verify({ exp: undefined })).toBe('claims')
    expect(await verify({ jti: undefined })).toBe('claims')
    expect(await verify({ sub: 'other' })).toBe('claims')
    expect(await verify({ iss: 'other' })).toBe('claims')
  })
})
