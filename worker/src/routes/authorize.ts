import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { readAuthorizationRequest } from '../steps/authorize/authorization-request'
import { runAuthorization } from '../steps/authorize/run-authorization'
import { sendOutcome } from './authorization-outcome'
import { sessionSecret } from './browser-cookies'
import { methodNotAllowed } from './method-not-allowed'
import { readForm } from './read-form'

/**
 * The authorization endpoint, GET and POST (OIDC Core §3.1.2.1, checklist A07). No CORS here,
 * ever (RFC 9700 §2.6, A11): it is navigated to, not fetched. Errors are thrown to the one error
 * handler, which redirects them or shows the error page (middleware/render-error.tsx).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 RFC 6749 §4.1.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-2.6 RFC 9700 §2.6}
 */
export function authorizeRoutes() {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    const request = readAuthorizationRequest(new URL(c.req.url).searchParams)
    return sendOutcome(c, await runAuthorization(c.get('deps'), request, browserOf(c)))
  })
  app.post('/', async (c) => {
    const request = readAuthorizationRequest(await readForm(c))
    return sendOutcome(c, await runAuthorization(c.get('deps'), request, browserOf(c)))
  })
  app.all('/', methodNotAllowed('GET, POST'))
  return app
}

const browserOf = (c: AppContext) => ({ sessionSecret: sessionSecret(c) })
