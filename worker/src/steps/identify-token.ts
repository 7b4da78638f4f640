import { decodeProtectedHeader, errors, type JWTPayload } from 'jose'
import { sha256 } from '../crypto/hash'
import type { Deps } from '../deps'
import { findRefreshToken, type StoredRefreshToken } from '../storage/refresh-tokens'
import { StorageUnavailableError } from '../storage/unavailable'

export type IdentifiedToken =
  | { kind: 'access_token'; claims: JWTPayload; expired: boolean }
  | { kind: 'id_token' }
  | { kind: 'refresh_token'; stored: StoredRefreshToken; tokenHash: string }
  | { kind: 'unknown' }

/**
 * What a token presented to revocation or introspection is, whatever `token_type_hint` says
 * (RFC 7009 §2.1, RFC 7662 §2.1; checklist J04): a JWT this server signed (an access token by its
 * `typ: at+jwt`, RFC 9068 §2.1, else an ID token), a refresh token (by its hash), or unknown.
 * Expired access tokens are still identified, so revoking one answers 200.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 RFC 7009 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.1 RFC 7662 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-2.1 RFC 9068 §2.1}
 */
export async function identifyToken(
  deps: Deps,
  token: string,
  now: number,
): Promise<IdentifiedToken> {
  if (token.split('.').length === 3) {
    const verified = await verifySignature(deps, token)
    if (verified === undefined) return { kind: 'unknown' }
    const typ = safeTyp(token)
    return typ === 'at+jwt' ? { kind: 'access_token', ...verified } : { kind: 'id_token' }
  }
  const tokenHash = await sha256(token)
  const stored = await findRefreshToken(deps.db, tokenHash, now)
  return stored === null ? { kind: 'unknown' } : { kind: 'refresh_token', stored, tokenHash }
}

async function verifySignature(deps: Deps, token: string) {
  const { config, keyring } = deps
  try {
    const { payload } = await keyring.verify(deps.db, token, {
      issuer: config.issuer,
      algorithms: ['ES256', 'RS256'],
    })
    return { claims: payload, expired: false }
  } catch (error) {
    if (error instanceof errors.JWTExpired && error.payload.iss === config.issuer) {
      return { claims: error.payload, expired: true }
    }
    // D1 did not answer while the keys were read: that is not a verdict on the token.
    if (error instanceof StorageUnavailableError) throw error
    return undefined
  }
}

function safeTyp(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).typ
  } catch {
    return undefined
  }
}
