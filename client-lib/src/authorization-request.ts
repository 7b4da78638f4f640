import {
  type AuthorizationServer,
  calculatePKCECodeChallenge,
  generateRandomState as random,
} from 'oauth4webapi'
import { secureUrl } from './discovery.js'
import type { AuthorizationParams } from './types.js'

/**
 * What must survive the round trip to the authorization endpoint: `state` against CSRF
 * (RFC 6749 §10.12), `nonce` against ID token replay (OIDC Core §3.1.2.1), the PKCE verifier
 * (RFC 7636 §4.1), and the app's own bookkeeping.
 *
 * @example
 * const { state, nonce, verifier } = transaction
 */
export interface AuthorizationTransaction {
  state: string
  nonce: string
  verifier: string
  redirectUri: string
  returnTo?: string
  /** The app's `appState`, answered back by the callback. */
  appState?: unknown
  /** Set for a top-level `prompt=none` fallback. */
  fallback?: boolean | undefined
  /** The user before a fallback renewal: the user must stay the same. */
  sub?: string | undefined
  /** The `max_age` sent, in seconds: the ID token's `auth_time` must then be within it. */
  maxAge?: number | undefined
}

/**
 * Builds an authorization request for the code flow with PKCE S256 (RFC 7636 §4.2; `plain` is
 * never used, RFC 9700 §2.1.1), `state` and `nonce`.
 *
 * @example
 * const { url, transaction } = await createAuthorizationRequest(as, 'my-spa', redirectUri, {
 *   scope: 'openid profile email',
 *   prompt: 'none',
 * })
 */
export async function createAuthorizationRequest(
  as: AuthorizationServer,
  clientId: string,
  redirectUri: string,
  extra: AuthorizationParams,
): Promise<{ url: URL; transaction: AuthorizationTransaction }> {
  // oauth4webapi's generateRandomState, generateRandomNonce and generateRandomCodeVerifier are the
  // same 32 random bytes in base64url (43 characters, within RFC 7636 §4.1's 43-128): one suffices.
  const state = random()
  const nonce = random()
  const verifier = random()
  const url = withParams(secureUrl(as.authorization_endpoint), {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    nonce,
    code_challenge: await calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  })
  // OIDC Core §3.1.3.7 step 13: the answer to a max_age request is checked against it.
  const maxAge = url.searchParams.get('max_age')
  return {
    url,
    transaction: { state, nonce, verifier, redirectUri, ...(maxAge && { maxAge: +maxAge }) },
  }
}

/**
 * Sets the defined parameters on a URL's query (empty and undefined ones are left out; numbers
 * such as `max_age: 0` are kept).
 *
 * @example
 * withParams(new URL('https://auth.example.com/end_session'), { state, id_token_hint: undefined })
 */
export function withParams(url: URL, params: AuthorizationParams): URL {
  for (const [name, value] of Object.entries(params)) {
    const text = `${value ?? ''}`
    if (text) url.searchParams.set(name, text)
  }
  return url
}
