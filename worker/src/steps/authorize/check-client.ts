import type { Client } from '../../domain/client'
import { AuthorizePageError } from './authorize-errors'
import { type AuthorizationParams, REPEATED, single } from './read-authorization-params'

/**
 * The client of an authorization request must be known, enabled and of a browser kind
 * (authorization-code or hybrid); otherwise the user sees an error page (checklist A02).
 */
export function checkClient(params: AuthorizationParams, client: Client | null): Client {
  const clientId = single(params, 'client_id')
  if (clientId === undefined || clientId === REPEATED) {
    throw new AuthorizePageError(
      'Unknown application',
      'The request does not name one application.',
    )
  }
  if (client === null || client.id !== clientId || !client.enabled) {
    throw new AuthorizePageError(
      'Unknown application',
      'The application that sent you here is not known.',
    )
  }
  if (client.type === 'client-credentials') {
    throw new AuthorizePageError(
      'Not a sign-in application',
      'This application cannot sign users in.',
    )
  }
  return client
}
