import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { assertPresent } from '../domain/assert-parameter'
import { preflight } from '../middleware/preflight'
import { authenticateClient } from '../steps/authenticate-client'
import { revokeToken } from '../steps/revoke-token'
import { allowClientOrigin } from './allow-client-origin'
import { clientIp } from './client-ip'
import { parseFormRequest } from './parse-form-request'

/**
 * Token revocation. The client authenticates (public clients by id, §2.1; a confidential client
 * without valid credentials gets 401, J01); then its own token is revoked (steps/revoke-token.ts).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2 RFC 7009 §2}
 */
export function revokeRoutes() {
  const app = new Hono<AppEnv>()
  app.use(preflight('POST'))
  app.all('/', async (c) => {
    const deps = c.get('deps')
    const params = await parseFormRequest(c.req.raw)
    const { client } = await authenticateClient(deps, {
      authorization: c.req.header('Authorization'),
      params,
      ip: clientIp(c),
    })
    allowClientOrigin(c, client)
    const token = params.get('token')
    assertPresent(token, 'token')
    await revokeToken(deps, client, token)
    return c.body(null, 200, { 'Cache-Control': 'no-store' })
  })
  return app
}
