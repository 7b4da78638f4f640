import {
  type AuthorizationServer,
  getValidatedIdTokenClaims,
  processGenericTokenEndpointResponse,
} from 'oauth4webapi'
import type { AuthorizationTransaction } from './authorization-request.js'
import { secureUrl } from './discovery.js'
import { AuthClientError, serverError } from './errors.js'
import { verifyIdTokenSignature } from './id-token-signature.js'
import type { TokenSet, UserClaims } from './types.js'

/**
 * What the exchange needs besides the response: the issuer's metadata, the client and the fetch
 * to use.
 *
 * @example
 * const context: ExchangeContext = { as, clientId, http: fetch }
 */
export interface ExchangeContext {
  as: AuthorizationServer
  clientId: string
  http: typeof fetch
}

/**
 * Checks an authorization response (RFC 6749 §4.1.2) and answers its code.
 *
 * `state` must be the one sent (RFC 6749 §10.12) and `iss` the issuer (RFC 9207 §2.4; required
 * when discovery advertises `authorization_response_iss_parameter_supported`), and both are
 * checked before `error`, so an error in a forged or stale response is never acted upon. The
 * same checks as oauth4webapi's validateAuthResponse, which costs 0.4 KB gzip; see README "Size".
 *
 * @example
 * const code = checkAuthorizationResponse(as, new URL(location.href).searchParams, state)
 */
export function checkAuthorizationResponse(
  as: AuthorizationServer,
  response: URLSearchParams,
  state: string,
): string {
  const iss = response.get('iss')
  if (response.get('state') !== state) throw new AuthClientError('invalid_response', 'wrong state')
  if (iss ? iss !== as.issuer : as.authorization_response_iss_parameter_supported) {
    throw new AuthClientError('invalid_response', 'wrong iss')
  }
  const error = response.get('error')
  if (error) throw serverError(error, response.get('error_description') ?? undefined, response)
  return response.get('code') ?? ''
}

/**
 * Validates an authorization response and redeems its code.
 *
 * 1. {@link checkAuthorizationResponse}: `state`, `iss`, then `error`.
 * 2. The code is redeemed with the PKCE verifier (RFC 7636 §4.5) by a public client: `client_id`
 *    in the body, no secret (RFC 6749 §4.1.3).
 * 3. oauth4webapi validates the token response (RFC 6749 §5.1) and the ID token's claims: `iss`,
 *    `aud`, `azp`, `exp`, `iat`, `sub` and the signing `alg`, with its clock tolerance (OIDC Core
 *    §3.1.3.7). Then the ID token must be present with this request's `nonce`, and its signature
 *    must verify against the JWKS.
 * 4. A renewal must return the same user (`sub` is never reassigned, OIDC Core §2); another one
 *    is rejected with `subject_changed` and its tokens are dropped.
 *
 * @example
 * const tokens = await exchangeCode(context, params, transaction, currentUser?.sub)
 */
export async function exchangeCode(
  context: ExchangeContext,
  response: URLSearchParams,
  transaction: AuthorizationTransaction,
  expectedSub: string | undefined,
): Promise<TokenSet> {
  const { as, clientId } = context
  const code = checkAuthorizationResponse(as, response, transaction.state)
  const tokenResponse = await context.http(secureUrl(as.token_endpoint), {
    method: 'POST',
    headers: { accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: transaction.redirectUri,
      code_verifier: transaction.verifier,
      client_id: clientId,
    }),
  })
  const result = await processGenericTokenEndpointResponse(
    as,
    { client_id: clientId },
    tokenResponse,
  )
  const claims = getValidatedIdTokenClaims(result) as UserClaims | undefined
  const idToken = result.id_token
  // The ID token is required and must carry the nonce of this request (OIDC Core §3.1.3.7 step 11).
  if (!claims || !idToken || claims.nonce !== transaction.nonce) {
    throw new AuthClientError('invalid_response', 'wrong nonce')
  }
  await verifyIdTokenSignature(as, idToken, context.http)
  if (expectedSub && claims.sub !== expectedSub) {
    throw new AuthClientError('subject_changed', 'another user')
  }
  const now = Date.now()
  // expires_in is RECOMMENDED, not required (RFC 6749 §5.1); fall back to the ID token's exp.
  const lifetimeMs = (result.expires_in ?? (claims.exp as number) - now / 1000) * 1000
  return {
    accessToken: result.access_token,
    idToken,
    expiresAt: now + lifetimeMs,
    renewedAt: now,
    scope: result.scope,
    claims,
  }
}
