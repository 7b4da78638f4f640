import type { Client } from './client'

/**
 * The browser origins a client's requests may come from: its allowed CORS origins and the
 * origins of its redirect URIs (a browser app calls the token endpoint from the page it was
 * redirected to). Only browser kinds of clients have any.
 */
export function clientOrigins(
  client: Pick<Client, 'type' | 'allowedCorsOrigins' | 'redirectUris'>,
): string[] {
  if (client.type !== 'authorization-code') return []
  const origins = new Set(client.allowedCorsOrigins)
  for (const uri of client.redirectUris) origins.add(new URL(uri).origin)
  return [...origins]
}
