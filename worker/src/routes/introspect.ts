import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { assertPresent } from '../domain/assert-parameter'
import { OAuthError } from '../errors'
import { authenticateClient } from '../steps/authenticate-client'
import { introspectToken } from '../steps/introspect-token'
import { clientIp } from './client-ip'
import { parseFormRequest } from './parse-form-request'

const NO_STORE = { 'Cache-Control': 'no-store' }

/**
 * Token introspection for resource servers: only confidential clients (K01; public clients and
 * unauthenticated callers get 401 invalid_client), only for tokens of their own tenant they may
 * see (steps/introspect-token.ts). Never cached (K04).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2 RFC 7662 §2}
 */
export function introspectRoutes() {
  const app = new Hono<AppEnv>()
  app.all('/', async (c) => {
    const deps = c.get('deps')
    const params = await parseFormRequest(c.req.raw)
    const caller = await authenticateClient(deps, {
      authorization: c.req.header('Authorization'),
      params,
      ip: clientIp(c),
    })
    if (caller.method === 'none') {
      throw new OAuthError('invalid_client', 'Introspection needs client authentication', {
        headers: { 'WWW-Authenticate': 'Basic realm="edge-identity"' },
      })
    }
    const token = params.get('token')
    assertPresent(token, 'token')
    return c.json(await introspectToken(deps, caller.client, token), 200, NO_STORE)
  })
  return app
}
