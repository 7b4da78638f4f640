import type { Client } from '../../domain/client'
import type { AuthorizationRequest } from './authorization-request'
import { authorizePageErrors } from './authorize-errors'

/**
 * The client of an authorization request must be named once, known, enabled and of a browser
 * kind (authorization-code or hybrid); otherwise the user sees an error page (checklist A02).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1}
 */
export function checkClient(request: AuthorizationRequest, client: Client | null): Client {
  if (request.clientId === undefined) throw authorizePageErrors.noClient()
  if (client === null || client.id !== request.clientId || !client.enabled) {
    throw authorizePageErrors.unknownClient()
  }
  if (client.type === 'client-credentials') throw authorizePageErrors.notSignInClient()
  return client
}
