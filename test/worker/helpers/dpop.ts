import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose'
import { sha256 } from '../../../worker/src/crypto/hash'
import { ISSUER } from './worker'

export type DpopAlg = 'ES256' | 'EdDSA' | 'RS256' | 'PS256'

/** A client's DPoP key pair, with its public JWK and RFC 7638 thumbprint. */
export interface DpopKey {
  alg: DpopAlg
  privateKey: CryptoKey
  publicJwk: JWK
  jkt: string
}

export async function dpopKey(alg: DpopAlg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  return { alg, privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') }
}

export interface ProofOptions {
  htm?: string
  htu?: string
  /** Unix seconds; now by default. */
  iat?: number
  jti?: string
  /** The access token the proof is for (`ath`). */
  accessToken?: string
  nonce?: string
  /** Claims to set or, with undefined, to leave out. */
  claims?: Record<string, unknown>
  /** Header members to set over the proper ones. */
  header?: Record<string, unknown>
}

/** A DPoP proof (RFC 9449 §4.2), for POST {issuer}/token unless told otherwise. */
export async function dpopProof(key: DpopKey, options: ProofOptions = {}): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: options.jti ?? crypto.randomUUID(),
    htm: options.htm ?? 'POST',
    htu: options.htu ?? `${ISSUER}/token`,
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    ...(options.accessToken !== undefined && { ath: await sha256(options.accessToken) }),
    ...(options.nonce !== undefined && { nonce: options.nonce }),
  }
  for (const [name, value] of Object.entries(options.claims ?? {})) {
    if (value === undefined) delete payload[name]
    else payload[name] = value
  }
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...options.header })
    .sign(key.privateKey)
}
