import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { OAuthError } from '../errors'
import { preflight } from '../middleware/preflight'
import { authenticateClient } from '../steps/authenticate-client'
import { allowClientOrigin } from '../steps/cors'
import { identifyToken } from '../steps/identify-token'
import { parseFormRequest } from '../steps/parse-token-request'
import { nowSeconds } from '../storage/db'
import { revokeAccessToken, revokeGrantById } from '../storage/revocation'

/**
 * Token revocation (RFC 7009). The client authenticates (public clients by id, §2.1; a
 * confidential client without valid credentials gets 401, J01); then its own token is revoked: an
 * access token by `jti`, a refresh token with its whole grant (F09). Unknown, invalid, already
 * revoked or another client's tokens answer 200 all the same (§2.2; J02, J03), so nothing can be
 * learned by probing. An ID token cannot be revoked: unsupported_token_type (§2.2.1, J06).
 */
export function revokeRoutes() {
  const app = new Hono<AppEnv>()
  app.use(preflight('POST'))
  app.all('/', async (c) => {
    const params = await parseFormRequest(c)
    const { client } = await authenticateClient(c, params)
    allowClientOrigin(c, client)
    const token = params.get('token')
    if (token === undefined) throw new OAuthError('invalid_request', 'token is required')
    const now = nowSeconds()
    const found = await identifyToken(c, token, now)
    if (found.kind === 'id_token') {
      throw new OAuthError('unsupported_token_type', 'ID tokens cannot be revoked')
    }
    if (found.kind === 'access_token' && found.claims.client_id === client.id && !found.expired) {
      await revokeAccessToken(c.get('db'), String(found.claims.jti), Number(found.claims.exp))
    }
    if (found.kind === 'refresh_token' && found.stored.client_id === client.id) {
      await revokeGrantById(c.get('db'), found.stored.grant_id, now)
    }
    return c.body(null, 200, { 'Cache-Control': 'no-store' })
  })
  return app
}
