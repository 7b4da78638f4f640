import type { Client } from '../../domain/client'
import { redirectUriMatches } from '../../domain/redirect-uri'
import type { AuthorizationRequest } from './authorization-request'
import { authorizePageErrors } from './authorize-errors'

export interface VerifiedRedirect {
  /** Where responses go: the URI the request named (its port, for a loopback literal). */
  redirectUri: string
  /** Whether the request named it (then the token request must name it too, RFC 6749 §4.1.3). */
  explicit: boolean
}

/**
 * `redirect_uri` must match a registered URI byte for byte, a loopback IP literal on any port
 * (checklist A01, {@link redirectUriMatches}); it may be omitted only when the client has exactly
 * one (A02). Until this passes, errors are shown as a page, never redirected.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3 RFC 6749 §3.1.2.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-2.1 RFC 9700 §2.1}
 */
export function checkRedirectUri(request: AuthorizationRequest, client: Client): VerifiedRedirect {
  const requested = request.redirectUri
  if (request.repeated.has('redirect_uri')) throw authorizePageErrors.repeatedRedirectUri()
  if (requested === undefined) {
    const [only, ...others] = client.redirectUris
    if (only !== undefined && others.length === 0) return { redirectUri: only, explicit: false }
    throw authorizePageErrors.missingRedirectUri()
  }
  if (!client.redirectUris.some((registered) => redirectUriMatches(registered, requested))) {
    throw authorizePageErrors.unregisteredRedirectUri()
  }
  return { redirectUri: requested, explicit: true }
}
