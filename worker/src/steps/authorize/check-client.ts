import type { Deps } from '../../deps'
import type { Client } from '../../domain/client'
import { isMetadataDocumentClientId } from '../../domain/metadata-document'
import {
  MetadataDocumentRefused,
  resolveMetadataDocumentClient,
} from '../resolve-metadata-document-client'
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

/**
 * When the request's `client_id` is a URL, makes sure its client ID metadata document is fetched
 * and stored (steps/resolve-metadata-document-client.ts) before the client is read; a refused
 * document (policy, fetch, content) is the error page, like an unknown client: nothing is ever
 * sent to a redirect URI that no valid document vouches for (checklist A01, A02).
 */
export async function loadMetadataDocumentClient(
  deps: Deps,
  clientId: string | undefined,
): Promise<void> {
  if (!isMetadataDocumentClientId(clientId)) return
  try {
    await resolveMetadataDocumentClient(deps, clientId)
  } catch (error) {
    if (error instanceof MetadataDocumentRefused) throw authorizePageErrors.unknownClient()
    throw error
  }
}
