import type { Client } from '../../domain/client'
import { AuthorizePageError } from './authorize-errors'
import { type AuthorizationParams, REPEATED, single } from './read-authorization-params'

export interface VerifiedRedirect {
  /** Where responses go: registered, matched byte for byte. */
  redirectUri: string
  /** Whether the request named it (then the token request must name it too, RFC 6749 §4.1.3). */
  explicit: boolean
}

/**
 * `redirect_uri` must equal one registered URI byte for byte (RFC 9700 §2.1, OIDC Core
 * §3.1.2.1; checklist A01); it may be omitted only when the client has exactly one (RFC 6749
 * §3.1.2.3, A02). Until this passes, errors are shown as a page, never redirected.
 */
export function checkRedirectUri(params: AuthorizationParams, client: Client): VerifiedRedirect {
  const requested = single(params, 'redirect_uri')
  if (requested === REPEATED) {
    throw new AuthorizePageError(
      'Invalid redirect address',
      'The request names more than one redirect address.',
    )
  }
  if (requested === undefined) {
    const [only, ...others] = client.redirectUris
    if (only !== undefined && others.length === 0) return { redirectUri: only, explicit: false }
    throw new AuthorizePageError(
      'Invalid redirect address',
      'The request does not say where to return.',
    )
  }
  if (!client.redirectUris.includes(requested)) {
    throw new AuthorizePageError(
      'Invalid redirect address',
      'The address to return to is not registered for this application.',
    )
  }
  return { redirectUri: requested, explicit: true }
}
