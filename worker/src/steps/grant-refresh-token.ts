import type { AppContext } from '../context'
import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import { isKnownScope, parseScope } from '../domain/scope'
import { OAuthError } from '../errors'
import { nowSeconds } from '../storage/db'
import { findRefreshToken, rotateRefreshToken } from '../storage/refresh-tokens'
import type { AuthenticatedClient } from './authenticate-client'
import { issueUserTokens } from './issue-user-tokens'
import { loadSigningKeys } from './load-signing-keys'
import type { FormParams } from './parse-token-request'

/**
 * The refresh_token grant (RFC 6749 §6), for hybrid clients only. The token is rotated on every
 * use; its reuse revokes the grant (storage/refresh-tokens.ts). A narrower `scope` narrows the
 * new access token, never the grant (F04). With `openid`, a new ID token keeps `iss sub aud azp
 * auth_time` and has no nonce (OIDC Core §12.2, F06).
 */
export async function grantRefreshToken(
  c: AppContext,
  { client }: AuthenticatedClient,
  params: FormParams,
) {
  if (client.type !== 'hybrid') {
    throw new OAuthError('unauthorized_client', 'This client may not use refresh_token')
  }
  const presented = params.get('refresh_token')
  if (presented === undefined) throw new OAuthError('invalid_request', 'refresh_token is required')
  const asked = parseScope(params.get('scope'))
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

  const now = nowSeconds()
  const next = randomToken()
  const jti = randomId()
  const tokenHash = await sha256(presented)
  await loadSigningKeys(c)
  const grant = await rotateRefreshToken(c.get('db'), {
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
    const stored =
      asked.values.length > 0 ? await findRefreshToken(c.get('db'), tokenHash, now) : null
    if (stored !== null && stored.active === 1 && stored.client_id === client.id) {
      throw new OAuthError('invalid_scope', 'The scope asked for is beyond the original grant')
    }
    throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked')
  }
  const scope = asked.values.length > 0 ? asked.values : grant.scope.split(' ')
  const tokens = await issueUserTokens(c, {
    userId: grant.user_id,
    clientId: client.id,
    tenantId: grant.tenant_id,
    roles: JSON.parse(grant.role_ids) as string[],
    scope,
    lifetimeSeconds: grant.access_token_lifetime,
    authTime: grant.auth_time,
    sessionId: grant.session_id,
    jti,
  })
  return { ...tokens, refresh_token: next }
}
