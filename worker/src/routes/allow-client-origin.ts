import type { AppContext } from '../context'
import type { Client } from '../domain/client'
import { clientCorsHeaders } from '../domain/cors'

/**
 * Lets the client's browser origin read this answer, errors included (the headers stay on the
 * response the error renderer builds). Called once the client is authenticated.
 */
export function allowClientOrigin(c: AppContext, client: Client): void {
  c.header('Vary', 'Origin', { append: true })
  for (const [name, value] of Object.entries(clientCorsHeaders(client, c.req.header('Origin')))) {
    c.header(name, value)
  }
}
