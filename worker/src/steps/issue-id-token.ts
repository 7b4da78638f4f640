import { base64url } from 'jose'
import { signJwt } from '../crypto/jwt'
import type { Deps } from '../deps'

/** ID tokens are read once by the client that receives them; an hour covers clock skew. */
export const ID_TOKEN_LIFETIME_SECONDS = 3600

export interface IdTokenInput {
  userId: string
  clientId: string
  authTime: number
  /** How the user authenticated: RFC 8176 values (`pwd`; `hwk`/`swk`, `pop`... for passkeys). */
  amr?: readonly string[]
  sessionId: string | null
  nonce?: string | null
  /** The authorization code issued with this ID token in the front channel (hybrid flow). */
  code?: string
}

/**
 * Signs an ID token with RS256, the algorithm every OpenID relying party must support (OIDC Core
 * §15.1): `iss sub aud exp iat auth_time amr azp`, `nonce` when the request had one (§3.1.3.6), `sid`,
 * and `c_hash` when a code travels with it (§3.3.2.11). Profile and email claims are served by
 * userinfo, not put here (§5.4, checklist G06).
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#ServerMTI OIDC Core §15.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken OIDC Core §3.1.3.6}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#HybridIDToken
 *   OIDC Core §3.3.2.11}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims OIDC Core §5.4}
 * @see {@link https://www.rfc-editor.org/rfc/rfc8176#section-2 RFC 8176 §2}
 */
export async function issueIdToken(deps: Deps, input: IdTokenInput): Promise<string> {
  const { config, keyring } = deps
  const key = await keyring.signingKey(deps.db, deps.cache, 'RS256')
  const iat = deps.now()
  return signJwt(key, 'JWT', {
    iss: config.issuer,
    sub: input.userId,
    aud: input.clientId,
    exp: iat + ID_TOKEN_LIFETIME_SECONDS,
    iat,
    auth_time: input.authTime,
    ...(input.amr !== undefined && input.amr.length > 0 && { amr: [...input.amr] }),
    azp: input.clientId,
    ...(input.sessionId !== null && { sid: input.sessionId }),
    ...(input.nonce != null && { nonce: input.nonce }),
    ...(input.code !== undefined && { c_hash: await leftHalfHash(input.code) }),
  })
}

/** base64url of the left half of SHA-256(value): `c_hash` and `at_hash` for RS256 (§3.3.2.11). */
export async function leftHalfHash(value: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)),
  )
  return base64url.encode(digest.slice(0, digest.length / 2))
}
