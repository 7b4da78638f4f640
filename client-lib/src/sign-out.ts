import { type AuthorizationServer, generateRandomState } from 'oauth4webapi'
import { withParams } from './authorization-request.js'
import { secureUrl } from './discovery.js'

/**
 * The provider's sign-out URL (OpenID Connect RP-Initiated Logout 1.0 §2), or undefined when
 * discovery advertises no `end_session_endpoint` (the sign-out then stays local: the session hint
 * keeps silent renewal from signing the user back in).
 *
 * @example
 * const url = signOutUrl(as, 'my-spa', idToken, 'https://app.example.com/')
 */
export function signOutUrl(
  as: AuthorizationServer,
  clientId: string,
  idToken: string | undefined,
  postLogoutRedirectUri: string | undefined,
): URL | undefined {
  if (!as.end_session_endpoint) return undefined
  return withParams(secureUrl(as.end_session_endpoint), {
    client_id: clientId,
    id_token_hint: idToken,
    post_logout_redirect_uri: postLogoutRedirectUri,
    state: generateRandomState(),
  })
}
