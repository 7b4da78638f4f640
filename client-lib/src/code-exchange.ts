import type { AuthorizationServer } from 'oauth4webapi'
import type { AuthorizationTransaction } from './authorization-request.js'
import { secureUrl } from './discovery.js'
import { AuthClientError, serverError } from './errors.js'
import { type KeyCache, verifyIdTokenSignature } from './id-token-signature.js'
import type { TokenSet, UserClaims } from './types.js'

/**
 * What the exchange needs besides the response: the issuer's metadata, the client, the fetch to
 * use, the client's cache of the issuer's keys and the clock tolerance in seconds.
 *
 * @example
 * const context: ExchangeContext = { as, clientId, http: fetch, keys: {}, tolerance: 30 }
 */
export interface ExchangeContext {
  as: AuthorizationServer
  clientId: string
  http: typeof fetch
  keys: KeyCache
  tolerance: number
  /** Sends the token request, when not `http` (a token binding adds its DPoP proof). */
  send?: typeof fetch | undefined
}

const invalid = (message: string) => new AuthClientError('invalid_response', message)

/**
 * A JWT's header and payload as JSON (RFC 7519 §7.2; UTF-8 in base64url, RFC 7515 §2).
 *
 * @example
 * const [header, claims] = decodeJwt(idToken)
 */
export function decodeJwt(jwt: string): Record<string, unknown>[] {
  return jwt
    .split('.')
    .slice(0, 2)
    .map((part) =>
      JSON.parse(
        new TextDecoder().decode(
          Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
        ),
      ),
    )
}

/**
 * Checks an authorization response (RFC 6749 §4.1.2) and answers its code.
 *
 * `state` must be the one sent (RFC 6749 §10.12) and `iss` the issuer (RFC 9207 §2.4; required
 * when discovery advertises `authorization_response_iss_parameter_supported`), and both are
 * checked before `error`, so an error in a forged or stale response is never acted upon.
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
  if (response.get('state') !== state) throw invalid('wrong state')
  if (iss ? iss !== as.issuer : as.authorization_response_iss_parameter_supported) {
    throw invalid('wrong iss')
  }
  const error = response.get('error')
  if (error) throw serverError(error, response.get('error_description') ?? undefined, response)
  return response.get('code') ?? ''
}

/**
 * Reads the token endpoint's answer (RFC 6749 §5.1, §5.2). An error is taken from the JSON body,
 * or from a 401's `WWW-Authenticate` challenge (RFC 6750 §3; `invalid_client` without one); an
 * HTTP 5xx is transient whatever the body; a success must carry a Bearer `access_token`, or a
 * DPoP one when `dpop` (a proof was sent, RFC 9449 §5).
 *
 * @example
 * const body = await readTokenResponse(response)
 */
export async function readTokenResponse(
  response: Response,
  dpop?: boolean,
): Promise<Record<string, unknown>> {
  const { status } = response
  const body = await response.json().catch(() => ({}))
  if (!response.ok) {
    const challenge = response.headers.get('www-authenticate')
    const error =
      body.error ?? (challenge && (/error="([^"]*)"/.exec(challenge)?.[1] ?? 'invalid_client'))
    if (typeof error === 'string') throw serverError(error, body.error_description, body, status)
    throw new AuthClientError(status > 499 ? 'server_error' : 'invalid_response', `HTTP ${status}`)
  }
  // With a DPoP proof sent, a token bound to its key is fine too (RFC 9449 §5).
  const types = dpop ? /^(bearer|dpop)$/i : /^bearer$/i
  const { access_token: token, token_type: type } = body
  if (typeof token !== 'string' || typeof type !== 'string' || !types.test(type)) {
    throw invalid('not a Bearer token response')
  }
  return body
}

/**
 * Validates an ID token's claims (OIDC Core §3.1.3.7): `iss` is the issuer (step 2), `aud` holds
 * the client and `azp`, when several audiences or present, is the client (steps 3-5), the `alg`
 * is one the issuer advertises (RS256 by default, step 7), `exp` is not past and `iat` is a time
 * (steps 9-10, with `tolerance` seconds of clock skew; both NumericDates, RFC 7519 §2), `nbf`, if
 * any, is not still ahead (RFC 7519 §4.1.5), `sub` is
 * present (OIDC Core §2), `nonce` is this request's (step 11) and, when `max_age` was sent,
 * `auth_time` is present and no older than it (step 13). A header with `crit` extensions is
 * refused: none is understood here (RFC 7515 §4.1.11). The signature is checked next, see
 * verifyIdTokenSignature.
 *
 * @example
 * const claims = validateIdTokenClaims(as, 'my-spa', idToken, nonce, 30, 300)
 */
export function validateIdTokenClaims(
  as: AuthorizationServer,
  clientId: string,
  idToken: string,
  nonce: string,
  tolerance: number,
  maxAge?: number,
): UserClaims {
  const [header, claims] = decodeJwt(idToken) as [{ alg: string; crit?: unknown }, UserClaims]
  const aud = ([] as unknown[]).concat(claims.aud)
  const now = Date.now() / 1000
  if (claims.iss !== as.issuer) throw invalid('wrong iss')
  if (!aud.includes(clientId) || ((aud.length > 1 || claims.azp) && claims.azp !== clientId)) {
    throw invalid('wrong aud')
  }
  if (!(as.id_token_signing_alg_values_supported ?? ['RS256']).includes(header.alg)) {
    throw invalid('wrong alg')
  }
  if (header.crit !== undefined) throw invalid('crit')
  const { exp, iat, nbf = 0, auth_time: authTime } = claims
  if (
    typeof exp !== 'number' ||
    !(exp > now - tolerance) ||
    typeof iat !== 'number' ||
    !((nbf as number) <= now + tolerance)
  ) {
    throw invalid('expired')
  }
  if (!claims.sub || typeof claims.sub !== 'string') throw invalid('no sub')
  if (claims.nonce !== nonce) throw invalid('wrong nonce')
  if (
    maxAge !== undefined &&
    !(typeof authTime === 'number' && authTime + maxAge > now - tolerance)
  ) {
    throw invalid('wrong auth_time')
  }
  return claims
}

/**
 * Validates an authorization response and redeems its code.
 *
 * 1. {@link checkAuthorizationResponse}: `state`, `iss`, then `error`.
 * 2. The code is redeemed with the PKCE verifier (RFC 7636 §4.5) by a public client: `client_id`
 *    in the body, no secret (RFC 6749 §4.1.3); {@link readTokenResponse}.
 * 3. The ID token is required: {@link validateIdTokenClaims}, then its signature against the
 *    JWKS.
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
  const result = await readTokenResponse(
    await (context.send ?? context.http)(secureUrl(as.token_endpoint), {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: transaction.redirectUri,
        code_verifier: transaction.verifier,
        client_id: clientId,
      }),
    }),
    !!context.send,
  )
  const idToken = result.id_token
  if (typeof idToken !== 'string') throw invalid('no ID token')
  const claims = validateIdTokenClaims(
    as,
    clientId,
    idToken,
    transaction.nonce,
    context.tolerance,
    transaction.maxAge,
  )
  await verifyIdTokenSignature(as, idToken, context.http, context.keys)
  if (expectedSub && claims.sub !== expectedSub) {
    throw new AuthClientError('subject_changed', 'another user')
  }
  const now = Date.now()
  // expires_in is RECOMMENDED, not required (RFC 6749 §5.1); fall back to the ID token's exp.
  const expiresIn = result.expires_in
  const lifetimeMs =
    (typeof expiresIn === 'number' ? expiresIn : (claims.exp as number) - now / 1000) * 1000
  return {
    accessToken: result.access_token as string,
    idToken,
    expiresAt: now + lifetimeMs,
    renewedAt: now,
    scope: result.scope as string | undefined,
    tokenType: result.token_type as string,
    claims,
  }
}
