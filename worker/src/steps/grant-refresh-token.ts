import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { reuseGraceSeconds } from '../domain/refresh-token'
import { isKnownScope, parseScope } from '../domain/scope'
import type { RefreshTokenRequest } from '../domain/token-request'
import { OAuthError } from '../errors'
import { findRefreshToken, rotateRefreshToken } from '../storage/refresh-tokens'
import { issueUserTokens } from './issue-user-tokens'
import { loadSigningKeys } from './load-signing-keys'
import { resolveResources } from './resolve-resources'

/**
 * The refresh_token grant, for an authenticated hybrid or third-party client. The token is rotated on every
 * use; its reuse revokes the grant (storage/refresh-tokens.ts). A narrower `scope` narrows the
 * new access token, never the grant (F04). With `openid`, a new ID token keeps `iss sub aud azp
 * auth_time` and has no nonce (OIDC Core §12.2, F06). A grant bound to a DPoP key is refreshed
 * only with a proof of that key; the new access token is bound to the key proved, if any.
 * `resource` may narrow the resources of the grant, never widen them (RFC 8707 §2.2:
 * `invalid_target`, nothing rotated); without it the new access token is for all of them.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2.2 RFC 8707 §2.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-5 RFC 9449 §5}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 RFC 6749 §6}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 RFC 9700 §4.14.2}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 *   OIDC Core §12.2}
 */
export async function grantRefreshToken(
  deps: Deps,
  client: Client,
  request: RefreshTokenRequest,
  jkt?: string,
) {
  const asked = parseScope(request.scope)
  if (!asked.ok) throw new OAuthError('invalid_scope', 'The scope parameter is malformed')
  // Values beyond this server's own can only be scopes of the grant's resources (RFC 8707);
  // the rotation refuses anything beyond the grant. Without those, a token must still be for
  // something: openid (userinfo) or api.
  if (
    asked.values.length > 0 &&
    asked.values.every(isKnownScope) &&
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
    dpopJkt: jkt ?? null,
    resources: request.resources.length === 0 ? null : request.resources,
    reuseGraceSeconds: reuseGraceSeconds(client),
  })
  if (grant === null) {
    // Nothing was rotated. A usable token of this client bound to a key the request did not
    // prove is invalid_dpop_proof (RFC 9449 §5); asking beyond its grant, invalid_scope (RFC 6749
    // §6); everything else (unknown, expired, reused, revoked, another client's) is
    // invalid_grant (§5.2). Only this failure path pays the extra read.
    const stored = await findRefreshToken(deps.db, tokenHash, now)
    const usable = stored?.active === true && stored.clientId === client.id
    if (usable && stored.dpopJkt !== null && stored.dpopJkt !== jkt) {
      throw new OAuthError('invalid_dpop_proof', 'The refresh token is bound to another DPoP key')
    }
    const widened = request.resources.some((value) => !stored?.resources?.includes(value))
    if (usable && widened) {
      throw new OAuthError('invalid_target', 'A resource is beyond the original grant')
    }
    if (usable && jkt === undefined && stored.resources !== null) {
      // A resource of the grant may have come to require DPoP since (RFC 9449 §5).
      const named = request.resources.length > 0 ? request.resources : stored.resources
      const resources = await resolveResources(deps, client, named, { managementApi: true })
      if (resources.some((resource) => resource.requireDpop)) {
        throw new OAuthError('invalid_dpop_proof', 'A resource of the grant requires a DPoP proof')
      }
    }
    if (usable && asked.values.length > 0) {
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
    jkt,
    resources: await grantResources(deps, client, request.resources, grant.resources),
  })
  return { ...tokens, refresh_token: next }
}

/** The resources of the new access token: those asked for, else all of the grant's, if any. */
function grantResources(
  deps: Deps,
  client: Client,
  asked: readonly string[],
  granted: readonly string[] | null,
) {
  const named = asked.length > 0 ? asked : granted
  return named === null ? undefined : resolveResources(deps, client, named, { managementApi: true })
}
