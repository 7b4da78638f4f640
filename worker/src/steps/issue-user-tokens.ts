import type { Deps } from '../deps'
import { audiencesFor } from '../domain/audience'
import { type ApiResource, resourceTarget } from '../domain/resource'
import { OAuthError } from '../errors'
import { issueAccessToken } from './issue-access-token'
import { issueIdToken } from './issue-id-token'

export interface UserTokensInput {
  userId: string
  clientId: string
  tenantId: string
  roles: readonly string[]
  scope: readonly string[]
  lifetimeSeconds: number
  authTime: number
  /** How the user authenticated (RFC 8176), for the ID token. */
  amr: readonly string[]
  sessionId: string | null
  /** The nonce of the authorization request (code exchange only; never on refresh, F06). */
  nonce?: string | null
  /** The access token's `jti`, recorded under its grant before signing. */
  jti: string
  /** The DPoP key the access token is bound to (RFC 9449 §6.1), if the request proved one. */
  jkt: string | undefined
  /** The resources the access token is for (RFC 8707), or undefined for the scope's defaults. */
  resources?: readonly ApiResource[] | undefined
}

/**
 * The token response of a user grant (authorization code or refresh): an access token for the
 * scope's resources, and an ID token when `openid` is granted (OIDC Core §3.1.3.3, §12.2).
 * With `resources` (RFC 8707), the access token is for them: `aud` their identifiers, scope the
 * granted values they define, their lifetime.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2.2 RFC 8707 §2.2}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse
 *   OIDC Core §3.1.3.3}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 *   OIDC Core §12.2}
 */
export async function issueUserTokens(deps: Deps, input: UserTokensInput) {
  const target =
    input.resources === undefined
      ? {
          audience: audiencesFor(deps.config.issuer, input.scope),
          scope: input.scope,
          lifetimeSeconds: input.lifetimeSeconds,
        }
      : resourceTarget(input.resources, input.scope)
  if ('requireDpop' in target && target.requireDpop && input.jkt === undefined) {
    // Reached only when a resource came to require DPoP after its code or grant was issued.
    throw new OAuthError('invalid_dpop_proof', 'A requested resource requires a DPoP proof')
  }
  const { token, expiresIn } = await issueAccessToken(deps, {
    subject: input.userId,
    clientId: input.clientId,
    tenantId: input.tenantId,
    roles: input.roles,
    scope: target.scope,
    audience: target.audience,
    lifetimeSeconds: target.lifetimeSeconds,
    extra: { auth_time: input.authTime },
    jti: input.jti,
    jkt: input.jkt,
  })
  const idToken = input.scope.includes('openid')
    ? await issueIdToken(deps, {
        userId: input.userId,
        clientId: input.clientId,
        authTime: input.authTime,
        amr: input.amr,
        sessionId: input.sessionId,
        nonce: input.nonce ?? null,
      })
    : undefined
  return {
    access_token: token,
    // RFC 9449 §5: a bound token is of type DPoP.
    token_type: input.jkt === undefined ? 'Bearer' : 'DPoP',
    expires_in: expiresIn,
    scope: target.scope.join(' '),
    ...(idToken !== undefined && { id_token: idToken }),
  }
}
