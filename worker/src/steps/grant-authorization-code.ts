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
import { resolveResources } from './resolve-resources'

const INVALID_CODE = 'The code is invalid, expired, already used, or not for this client'

/**
 * The authorization_code grant, for an authenticated public or hybrid client: the code is
 * redeemed, checked and turned into a grant in one D1 round trip (storage/code-redemption.ts),
 * and only a code issued to this client, for this redirect_uri and PKCE verifier, is touched
 * (N01). Then an access token and, for `openid`, an ID token are signed; a refresh token only for
 * a hybrid client whose administrator allowed it, when `offline_access` was granted (F01, F02).
 * With a DPoP proof (`jkt`), the access token and the grant's refresh tokens are bound to its
 * key; a code issued for `dpop_jkt` is redeemed only with a proof of that key (RFC 9449 §5, §10).
 * The `resource` values of the token request may narrow those of the authorization request,
 * never widen them (RFC 8707 §2.2: `invalid_target`, nothing consumed); a code for a resource
 * that requires DPoP is redeemed only with a proof.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2.2 RFC 8707 §2.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-10 RFC 9449 §10}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 RFC 6749 §4.1.3}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#TokenRequestValidation
 *   OIDC Core §3.1.3.2}
 */
export async function grantAuthorizationCode(
  deps: Deps,
  client: Client,
  request: AuthorizationCodeRequest,
  jkt?: string,
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
    dpopJkt: jkt ?? null,
    resources: request.resources.length === 0 ? null : request.resources,
  })
  if (!redemption.granted) {
    if (redemption.dpopMismatch) {
      // RFC 9449 §10: the code is bound to the key named by dpop_jkt (or its resource requires
      // a proof); nothing was consumed.
      throw new OAuthError('invalid_dpop_proof', 'The DPoP proof is not for the key of the code')
    }
    if (redemption.targetMismatch) {
      throw new OAuthError(
        'invalid_target',
        'A resource was not named in the authorization request',
      )
    }
    throw new OAuthError('invalid_grant', INVALID_CODE, {
      cause: { consumed: redemption.consumed },
    })
  }
  const { code } = redemption
  const named = request.resources.length > 0 ? request.resources : code.resources
  const resources =
    named === null
      ? undefined
      : await resolveResources(deps, client, named, { managementApi: true })
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
    jkt,
    resources,
  })
  return { ...tokens, ...(redemption.refreshTokenIssued && { refresh_token: refreshToken }) }
}
