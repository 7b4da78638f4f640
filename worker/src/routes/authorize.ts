import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { readAuthorizationParams } from '../steps/authorize/read-authorization-params'
import { runAuthorization } from '../steps/authorize/run-authorization'

/**
 * The authorization endpoint, GET and POST (OIDC Core §3.1.2.1, checklist A07). No CORS here,
 * ever (RFC 9700 §2.6, A11): it is navigated to, not fetched.
 */
export function authorizeRoutes() {
  const app = new Hono<AppEnv>()
  const handle = async (c: AppContext) => runAuthorization(c, await readAuthorizationParams(c))
  app.get('/', handle)
  app.post('/', handle)
  return app
}
