import type { AppContext } from '../context'
import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import { audiencesFor } from '../domain/audience'
import { parseScope } from '../domain/scope'
import { OAuthError } from '../errors'
import { nowSeconds } from '../storage/db'
import { findRefreshToken, rotateRefreshToken } from '../storage/refresh-tokens'
import type { AuthenticatedClient } from './authenticate-client'
import { issueAccessToken } from './issue-access-token'
import { issueIdToken } from './issue-id-token'
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

  const now = nowSeconds()
  const next = randomToken()
  const jti = randomId()
  const tokenHash = await sha256(presented)
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
  const granted = grant.scope.split(' ')
  const scope = asked.values.length > 0 ? asked.values : granted
  const { token, expiresIn } = await issueAccessToken(c, {
    subject: grant.user_id,
    clientId: client.id,
    tenantId: grant.tenant_id,
    roles: JSON.parse(grant.role_ids) as string[],
    scope,
    audience: audiencesFor(c.get('config').issuer, scope),
    lifetimeSeconds: grant.access_token_lifetime,
    extra: { auth_time: grant.auth_time },
    jti,
  })
  const idToken = scope.includes('openid')
    ? await issueIdToken(c, {
        userId: grant.user_id,
        clientId: client.id,
        authTime: grant.auth_time,
        sessionId: grant.session_id,
      })
    : undefined
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    scope: scope.join(' '),
    refresh_token: next,
    ...(idToken !== undefined && { id_token: idToken }),
  }
}
