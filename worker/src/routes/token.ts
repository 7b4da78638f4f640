import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { OAuthError } from '../errors'
import { preflight } from '../middleware/preflight'
import { authenticateClient } from '../steps/authenticate-client'
import { grantAuthorizationCode } from '../steps/grant-authorization-code'
import { grantClientCredentials } from '../steps/grant-client-credentials'
import { grantRefreshToken } from '../steps/grant-refresh-token'
import { parseFormRequest } from '../steps/parse-token-request'

/** RFC 6749 §5.1: token responses are never cached. */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

/**
 * The token endpoint (RFC 6749 §3.2): parse the form, authenticate the client, run the grant.
 * Every answer, success or error, is JSON with `Cache-Control: no-store` (checklist D10).
 */
export function tokenRoutes() {
  const app = new Hono<AppEnv>()
  app.use(preflight('POST'))
  app.all('/', async (c) => {
    const params = await parseFormRequest(c)
    const grantType = params.get('grant_type')
    if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required')
    if (grantType === 'client_credentials') {
      const client = await authenticateClient(c, params)
      return c.json(await grantClientCredentials(c, client, params), 200, NO_STORE)
    }
    if (grantType === 'authorization_code') {
      return c.json(await grantAuthorizationCode(c, params), 200, NO_STORE)
    }
    if (grantType === 'refresh_token') {
      const client = await authenticateClient(c, params)
      return c.json(await grantRefreshToken(c, client, params), 200, NO_STORE)
    }
    throw new OAuthError('unsupported_grant_type', 'This grant_type is not supported')
  })
  return app
}
