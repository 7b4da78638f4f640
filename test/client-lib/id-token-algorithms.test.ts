import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, disposeClients, driveFrames, signIn } from './helpers/browser.js'
import {
  CLIENT_ID,
  createFakeProvider,
  type FakeProvider,
  ISSUER,
} from './helpers/fake-provider.js'

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
})
afterEach(disposeClients)

/** jose needs the curve for EdDSA only. */
const crv = (alg: string) => (alg === 'EdDSA' ? { crv: 'Ed25519' } : {})

/** Makes the token endpoint sign its ID tokens with `key` under `alg` and `kid`. */
function signWith(alg: string, key: CryptoKey | Uint8Array, kid: string, claims: JWTPayload = {}) {
  provider.tokenAnswer = async (_body, issued) => {
    const now = Math.floor(Date.now() / 1000)
    const idToken = await new SignJWT({ nonce: issued?.nonce, ...claims })
      .setProtectedHeader({ alg, kid })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setSubject('user-1')
      .setIssuedAt(now)
      .setExpirationTime((claims.exp as number | undefined) ?? now + 60)
      .sign(key)
    return Response.json({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 60,
      id_token: idToken,
    })
  }
}

describe('ID token signatures', () => {
  it.each(['PS256', 'PS384', 'PS512', 'RS384', 'RS512', 'ES384', 'EdDSA'])(
    'verifies a %s ID token with its key from the JWKS (RFC 7518 §3, RFC 8037 §3.1)',
    async (alg) => {
      provider.metadata.id_token_signing_alg_values_supported = [alg]
      const keys = await generateKeyPair(alg, { extractable: true, ...crv(alg) })
      provider.jwks.keys = [{ ...(await exportJWK(keys.publicKey)), kid: `k-${alg}`, alg }]
      signWith(alg, keys.privateKey, `k-${alg}`)
      await expect(signIn(createClient(provider), provider)).resolves.toMatchObject({
        user: { sub: 'user-1' },
      })
      // A token signed by another key under the same kid is refused.
      const { privateKey } = await generateKeyPair(alg, crv(alg))
      signWith(alg, privateKey, `k-${alg}`)
      await expect(signIn(createClient(provider), provider)).rejects.toMatchObject({
        code: 'invalid_response',
        message: 'bad ID token signature',
      })
    },
  )

  it('never accepts an HMAC ID token, even when discovery lists HS256 and a JWK holds the secret (RFC 8725 §2.1)', async () => {
    provider.metadata.id_token_signing_alg_values_supported = ['HS256']
    const secret = new TextEncoder().encode('a-shared-secret-of-thirty-two-b!')
    provider.jwks.keys = [{ kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'h' }]
    signWith('HS256', secret, 'h')
    await expect(signIn(createClient(provider), provider)).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'no HS256 key h',
    })
  })

  it('keeps the JWKS by kid: a second sign-in with a known kid fetches no keys (OIDC Core §10.1.1)', async () => {
    driveFrames(provider)
    const client = createClient(provider)
    await signIn(client, provider)
    await signIn(client, provider)
    await client.renew()
    expect(provider.requestsTo('/.well-known/jwks.json')).toHaveLength(1)
  })
})

describe('clockToleranceSeconds', () => {
  it('accepts an ID token expired 45 s ago only with a tolerance above 45 s (OIDC Core §3.1.3.7 step 9)', async () => {
    const now = Math.floor(Date.now() / 1000)
    provider.idTokenClaims = (claims) => ({ ...claims, iat: now - 300, exp: now - 45 })
    await expect(signIn(createClient(provider), provider)).rejects.toMatchObject({
      code: 'invalid_response',
    })
    await expect(
      signIn(createClient(provider, { clockToleranceSeconds: 60 }), provider),
    ).resolves.toMatchObject({ user: { sub: 'user-1' } })
  })
})
