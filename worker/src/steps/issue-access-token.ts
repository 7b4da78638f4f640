import { signJwt } from '../crypto/jwt'
import { randomId } from '../crypto/random'
import type { Deps } from '../deps'

export interface AccessTokenInput {
  /** The client id for client credentials (RFC 9068 §2.2), the user id otherwise. */
  subject: string
  clientId: string
  tenantId: string
  roles: readonly string[]
  scope: readonly string[]
  audience: string | string[]
  lifetimeSeconds: number
  /** Extra claims (for example `auth_time` for user tokens). */
  extra?: Record<string, unknown>
  /** The `jti`, when the caller recorded it before signing (user tokens, by grant). */
  jti?: string
  /** The thumbprint of the DPoP key the token is bound to (RFC 9449 §6.1), if any. */
  jkt?: string | undefined
}

export interface IssuedAccessToken {
  token: string
  jti: string
  expiresIn: number
}

/**
 * Signs an RFC 9068 access token: `typ: at+jwt`, `kid`, the configured algorithm (ES256 by
 * default), claims `iss sub aud client_id tid roles scope iat exp jti`, and `cnf.jkt` when the
 * token is bound to a DPoP key. No personal data beyond the subject's id (RFC 9068 §6, L05).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-6 RFC 9068 §6}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-6.1 RFC 9449 §6.1}
 */
export async function issueAccessToken(
  deps: Deps,
  input: AccessTokenInput,
): Promise<IssuedAccessToken> {
  const { config, keyring } = deps
  const key = await keyring.signingKey(deps.db, deps.cache, config.accessTokenSigningAlg)
  const iat = deps.now()
  const jti = input.jti ?? randomId()
  const token = await signJwt(key, 'at+jwt', {
    iss: config.issuer,
    sub: input.subject,
    aud: input.audience,
    client_id: input.clientId,
    tid: input.tenantId,
    roles: input.roles,
    scope: input.scope.join(' '),
    iat,
    exp: iat + input.lifetimeSeconds,
    jti,
    ...input.extra,
    ...(input.jkt !== undefined && { cnf: { jkt: input.jkt } }),
  })
  return { token, jti, expiresIn: input.lifetimeSeconds }
}
