import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'

export type SigningAlg = 'RS256' | 'ES256'

/** A private key ready to sign, with the `kid` that names it in the JWKS. */
export interface SigningKey {
  kid: string
  alg: SigningAlg
  key: CryptoKey
}

/**
 * A freshly generated key pair, as JWKs, named by its RFC 7638 thumbprint.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7638 RFC 7638}
 */
export interface GeneratedKeyPair {
  kid: string
  alg: SigningAlg
  publicJwk: JWK
  privateJwk: JWK
}

/**
 * Generates a signing key pair (RSA 2048 for RS256, P-256 for ES256). Workers refuse key
 * generation at global scope, so this only ever runs inside a request or a scheduled event.
 */
export async function generateSigningKeyPair(alg: SigningAlg): Promise<GeneratedKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256')
  return {
    kid,
    alg,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
  }
}

/** Imports a private JWK as a non-extractable signing key. */
export async function importPrivateKey(jwk: JWK, alg: SigningAlg): Promise<CryptoKey> {
  const key = await importJWK({ ...jwk, ext: false }, alg)
  if (!(key instanceof CryptoKey)) throw new Error('expected an asymmetric private key')
  return key
}

/**
 * Only the public members a verifier needs (RFC 7517 §4, RFC 7518 §6): never `d`, `p`, `q`,
 * `dp`, `dq`, `qi` or `k` (checklist I04), whatever the stored JWK holds.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7517#section-4 RFC 7517 §4}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7518#section-6 RFC 7518 §6}
 */
export function toPublicJwk(jwk: JWK): JWK {
  const members = jwk.kty === 'RSA' ? RSA_PUBLIC : jwk.kty === 'EC' ? EC_PUBLIC : undefined
  if (members === undefined) throw new Error(`unsupported key type ${jwk.kty}`)
  const source = jwk as Record<string, unknown>
  return Object.fromEntries([
    ['use', 'sig'],
    ...members
      .filter((name) => typeof source[name] === 'string')
      .map((name) => [name, source[name]]),
  ]) as JWK
}

const RSA_PUBLIC = ['kty', 'kid', 'alg', 'n', 'e'] as const
const EC_PUBLIC = ['kty', 'kid', 'alg', 'crv', 'x', 'y'] as const
