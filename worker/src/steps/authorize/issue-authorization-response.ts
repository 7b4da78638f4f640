import { sha256 } from '../../crypto/hash'
import { randomId, randomToken } from '../../crypto/random'
import type { Deps } from '../../deps'
import type { Client } from '../../domain/client'
import type { ApiResource } from '../../domain/resource'
import { SESSION_IDLE_SECONDS, SESSION_TOUCH_INTERVAL_SECONDS } from '../../domain/session'
import { insertAuthorizationCodeStatement } from '../../storage/authorization-codes'
import type { SessionWithUser } from '../../storage/sessions'
import { touchSessionStatement } from '../../storage/sessions'
import { issueIdToken } from '../issue-id-token'
import type { VerifiedRedirect } from './check-redirect-uri'
import type { ResponseType } from './check-response-type'

/**
 * Codes live a minute: long enough for a redirect and a token request (RFC 6749 §4.1.2).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 RFC 6749 §4.1.2}
 */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60

export interface ValidatedRequest {
  client: Client
  redirect: VerifiedRedirect
  responseType: ResponseType
  scope: string[]
  nonce: string | undefined
  codeChallenge: string | undefined
  /** The DPoP key the code is bound to (RFC 9449 §10), if the request named one. */
  dpopJkt: string | undefined
  /** The resources named with `resource` (RFC 8707), none when the request named none. */
  resources: readonly ApiResource[]
}

/**
 * Issues the authorization response for a signed-in session: a code of 256 random bits stored
 * only as its hash (checklist C06, C07), plus an ID token with `c_hash` for `code id_token`
 * (OIDC Core §3.3.2.11, G04). The code insert and the session's sliding expiry share one batch.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 RFC 6749 §4.1.2}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#HybridIDToken
 *   OIDC Core §3.3.2.11}
 */
export async function issueAuthorizationResponse(
  deps: Deps,
  request: ValidatedRequest,
  session: SessionWithUser,
): Promise<Record<string, string>> {
  const { db } = deps
  const now = deps.now()
  const code = randomToken()
  const insert = insertAuthorizationCodeStatement(db, {
    codeHash: await sha256(code),
    grantId: randomId(),
    tenantId: request.client.tenantId,
    clientId: request.client.id,
    userId: session.userId,
    sessionId: session.id,
    redirectUri: request.redirect.redirectUri,
    redirectUriExplicit: request.redirect.explicit,
    scope: request.scope.join(' '),
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    dpopJkt: request.dpopJkt,
    resources:
      request.resources.length === 0
        ? undefined
        : request.resources.map((resource) => resource.identifier),
    requireDpop: request.resources.some((resource) => resource.requireDpop),
    authTime: session.authTime,
    amr: session.amr,
    createdAt: now,
    expiresAt: now + AUTHORIZATION_CODE_TTL_SECONDS,
  })
  const touch =
    now - session.lastSeenAt >= SESSION_TOUCH_INTERVAL_SECONDS
      ? [touchSessionStatement(db, session.id, now, SESSION_IDLE_SECONDS)]
      : []
  await db.batch([insert, ...touch])
  if (request.responseType === 'code') return { code }
  const idToken = await issueIdToken(deps, {
    userId: session.userId,
    clientId: request.client.id,
    authTime: session.authTime,
    amr: session.amr,
    sessionId: session.id,
    nonce: request.nonce,
    code,
  })
  return { code, id_token: idToken }
}
