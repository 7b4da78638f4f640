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

/**
 * The CORS headers that let a browser app read this response, when its `Origin` is one the
 * client accepts (its allowed CORS origins and redirect URI origins); none otherwise. The route
 * sets them, with `Vary: Origin`, as soon as the client is known, so errors are readable too
 * (docs/architecture.md). Never used on /authorize (RFC 9700 §2.6, checklist A11).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-2.6 RFC 9700 §2.6}
 */
export function clientCorsHeaders(
  client: Pick<Client, 'type' | 'allowedCorsOrigins' | 'redirectUris'>,
  origin: string | undefined,
): Record<string, string> {
  if (origin === undefined || !clientOrigins(client).includes(origin)) return {}
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'WWW-Authenticate, Retry-After, DPoP-Nonce',
  }
}
