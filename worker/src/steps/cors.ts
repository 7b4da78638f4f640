import type { AppContext } from '../context'
import type { Client } from '../domain/client'
import { clientOrigins } from '../domain/cors'

/**
 * Lets a browser app read this response when its `Origin` is one the client accepts (its allowed
 * CORS origins and redirect URI origins). Set as soon as the client is known, so errors are
 * readable too (ARCHITECTURE.md). Never used on /authorize (RFC 9700 §2.6, checklist A11).
 */
export function allowClientOrigin(
  c: AppContext,
  client: Pick<Client, 'type' | 'allowedCorsOrigins' | 'redirectUris'>,
) {
  const origin = c.req.header('Origin')
  c.header('Vary', 'Origin', { append: true })
  if (origin === undefined || !clientOrigins(client).includes(origin)) return
  c.header('Access-Control-Allow-Origin', origin)
  c.header('Access-Control-Expose-Headers', 'WWW-Authenticate, Retry-After')
}
