import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { s256 } from '../domain/pkce'
import type { AuthorizationCodeRequest } from '../domain/token-request'
import { OAuthError } from '../errors'
import { redeemAuthorizationCode } from '../storage/code-redemption'
import { issueUserTokens } from './issue-user-tokens'
import { loadSigningKeys } from './load-signing-keys'

const INVALID_CODE = 'The code is invalid, expired, already used, or not for this client'

/**
 * The authorization_code grant, for an authenticated public or hybrid client: the code is
 * redeemed, checked and turned into a grant in one D1 round trip (storage/code-redemption.ts),
 * and only a code issued to this client, for this redirect_uri and PKCE verifier, is touched
 * (N01). Then an access token and, for `openid`, an ID token are signed; a refresh token only for
 * a hybrid client whose administrator allowed it, when `offline_access` was granted (F01, F02).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 RFC 6749 §4.1.3}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#TokenRequestValidation
 *   OIDC Core §3.1.3.2}
 */
export async function grantAuthorizationCode(
  deps: Deps,
  client: Client,
  request: AuthorizationCodeRequest,
) {
  const now = deps.now()
  const jti = randomId()
  const refreshToken = randomToken()
  await loadSigningKeys(deps)
  const redemption = await redeemAuthorizationCode(deps.db, {
    refreshTokenHash: await sha256(refreshToken),
    codeHash: await sha256(request.code),
    requestId: randomId(),
    now,
    clientId: client.id,
    redirectUri: request.redirectUri ?? '',
    codeChallenge: request.codeVerifier === undefined ? null : await s256(request.codeVerifier),
    accessTokenJti: jti,
  })
  if (!redemption.granted) {
    throw new OAuthError('invalid_grant', INVALID_CODE, {
      cause: { consumed: redemption.consumed },
    })
  }
  const { code } = redemption
  const tokens = await issueUserTokens(deps, {
    userId: code.userId,
    clientId: client.id,
    tenantId: client.tenantId,
    roles: redemption.userRoleIds,
    scope: code.scope,
    lifetimeSeconds: client.accessTokenLifetime,
    authTime: code.authTime,
    amr: code.amr,
    sessionId: code.sessionId,
    nonce: code.nonce,
    jti,
  })
  return { ...tokens, ...(redemption.refreshTokenIssued && { refresh_token: refreshToken }) }
}
