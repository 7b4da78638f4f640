import type { AppContext } from '../context'
import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import { isCodeVerifier, s256 } from '../domain/pkce'
import { OAuthError } from '../errors'
import { redeemAuthorizationCode } from '../storage/code-redemption'
import { nowSeconds } from '../storage/db'
import { revokeGrantById } from '../storage/revocation'
import { readClientCredentials, verifyClient } from './authenticate-client'
import { clientIp } from './client-ip'
import { allowClientOrigin } from './cors'
import { issueUserTokens } from './issue-user-tokens'
import { loadSigningKeys } from './load-signing-keys'
import type { FormParams } from './parse-token-request'

const INVALID_CODE = 'The code is invalid, expired, already used, or not for this client'

/**
 * The authorization_code grant (RFC 6749 §4.1.3, OIDC Core §3.1.3): the code is redeemed,
 * checked and turned into a grant in one D1 round trip (storage/code-redemption.ts); then the
 * client is authenticated (public clients by id, hybrid clients by secret), and an access token
 * and, for `openid`, an ID token are signed. A refresh token only for a hybrid client whose
 * administrator allowed it, when `offline_access` was granted (F01, F02).
 */
export async function grantAuthorizationCode(c: AppContext, params: FormParams) {
  const presented = readClientCredentials(c, params)
  const code = params.get('code')
  if (code === undefined) throw new OAuthError('invalid_request', 'code is required')
  const verifier = params.get('code_verifier')
  // RFC 7636 §4.1: 43 to 128 unreserved characters (checklist B05).
  if (verifier !== undefined && !isCodeVerifier(verifier)) {
    throw new OAuthError('invalid_grant', 'code_verifier is malformed')
  }
  const db = c.get('db')
  // A confidential client authenticates before its code is touched, so whoever intercepted a
  // code cannot burn it without the secret (RFC 6749 §4.1.3). A public client has nothing more
  // to show than its id: it is checked with the code, in the same round trip.
  const confidential =
    presented.method === 'none'
      ? undefined
      : await verifyClient(
          c,
          presented,
          await c.get('services').clientCache.find(db, presented.clientId, clientIp(c)),
        )
  const now = nowSeconds()
  const jti = randomId()
  const refreshToken = randomToken()
  await loadSigningKeys(c)
  const redemption = await redeemAuthorizationCode(db, {
    refreshTokenHash: await sha256(refreshToken),
    codeHash: await sha256(code),
    requestId: randomId(),
    now,
    clientId: presented.clientId,
    redirectUri: params.get('redirect_uri') ?? '',
    codeChallenge: verifier === undefined ? null : await s256(verifier),
    accessTokenJti: jti,
    ip: clientIp(c),
  })
  if (redemption.client !== null) allowClientOrigin(c, redemption.client.client)
  let client: Awaited<ReturnType<typeof verifyClient>>['client']
  try {
    ;({ client } = confidential ?? (await verifyClient(c, presented, redemption.client)))
  } catch (error) {
    if (redemption.granted && redemption.code !== null)
      await revokeGrantById(db, redemption.code.grant_id, now)
    throw error
  }
  if (client.type === 'client-credentials') {
    throw new OAuthError('unauthorized_client', 'This client may not use authorization_code')
  }
  const redeemed = redemption.code
  if (redeemed === null || !redemption.granted || redemption.userRoleIds === null) {
    throw new OAuthError('invalid_grant', INVALID_CODE, {
      cause: {
        replayOrUnknown: redeemed === null,
        expired: redeemed !== null && redeemed.expires_at <= now,
      },
    })
  }

  const tokens = await issueUserTokens(c, {
    userId: redeemed.user_id,
    clientId: client.id,
    tenantId: client.tenantId,
    roles: redemption.userRoleIds,
    scope: redeemed.scope.split(' '),
    lifetimeSeconds: client.accessTokenLifetime,
    authTime: redeemed.auth_time,
    sessionId: redeemed.session_id,
    nonce: redeemed.nonce,
    jti,
  })
  return { ...tokens, ...(redemption.refreshTokenIssued && { refresh_token: refreshToken }) }
}
