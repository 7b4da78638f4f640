import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { isKnownScope, parseScope } from '../domain/scope'
import type { RefreshTokenRequest } from '../domain/token-request'
import { OAuthError } from '../errors'
import { findRefreshToken, rotateRefreshToken } from '../storage/refresh-tokens'
import { issueUserTokens } from './issue-user-tokens'
import { loadSigningKeys } from './load-signing-keys'

/**
 * The refresh_token grant, for an authenticated hybrid client. The token is rotated on every
 * use; its reuse revokes the grant (storage/refresh-tokens.ts). A narrower `scope` narrows the
 * new access token, never the grant (F04). With `openid`, a new ID token keeps `iss sub aud azp
 * auth_time` and has no nonce (OIDC Core §12.2, F06).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 RFC 6749 §6}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 RFC 9700 §4.14.2}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 *   OIDC Core §12.2}
 */
export async function grantRefreshToken(deps: Deps, client: Client, request: RefreshTokenRequest) {
  const asked = parseScope(request.scope)
  if (!asked.ok) throw new OAuthError('invalid_scope', 'The scope parameter is malformed')
  if (asked.values.some((value) => !isKnownScope(value))) {
    throw new OAuthError('invalid_scope', 'A requested scope is not supported')
  }
  if (
    asked.values.length > 0 &&
    !asked.values.includes('openid') &&
    !asked.values.includes('api')
  ) {
    throw new OAuthError('invalid_scope', 'The scope must include openid or api')
  }

  const now = deps.now()
  const next = randomToken()
  const jti = randomId()
  const tokenHash = await sha256(request.refreshToken)
  await loadSigningKeys(deps)
  const grant = await rotateRefreshToken(deps.db, {
    tokenHash,
    requestId: randomId(),
    now,
    clientId: client.id,
    scope: asked.values,
    newTokenHash: await sha256(next),
    accessTokenJti: jti,
  })
  if (grant === null) {
    // Nothing was rotated. A usable token of this client asking beyond its grant is
    // invalid_scope (RFC 6749 §6); everything else (unknown, expired, reused, revoked, another
    // client's) is invalid_grant (§5.2). Only this failure path pays the extra read.
    const stored = asked.values.length > 0 ? await findRefreshToken(deps.db, tokenHash, now) : null
    if (stored?.active === true && stored.clientId === client.id) {
      throw new OAuthError('invalid_scope', 'The scope asked for is beyond the original grant')
    }
    throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked')
  }
  const tokens = await issueUserTokens(deps, {
    userId: grant.userId,
    clientId: client.id,
    tenantId: grant.tenantId,
    roles: grant.roleIds,
    scope: asked.values.length > 0 ? asked.values : grant.scope,
    lifetimeSeconds: grant.accessTokenLifetime,
    authTime: grant.authTime,
    amr: grant.amr,
    sessionId: grant.sessionId,
    jti,
  })
  return { ...tokens, refresh_token: next }
}
