import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { OAuthError } from '../errors'
import { readAuthorizationRequest } from '../steps/authorize/authorization-request'
import { openConsentAnswer } from '../steps/authorize/consent-answer'
import { runAuthorization } from '../steps/authorize/run-authorization'
import { csrfValid } from '../steps/csrf'
import { sendOutcome } from './authorization-outcome'
import { formOrigin, sessionSecret } from './browser-cookies'
import { methodNotAllowed } from './method-not-allowed'
import { formField, readForm } from './read-form'

/** A consent form that did not come from our consent page (CSRF check failed). */
const consentRefused = () =>
  new OAuthError('invalid_request', 'The consent form failed the CSRF check', {
    status: 403,
    allowRedirect: false,
    page: {
      title: 'Request refused',
      detail: 'The form was not sent from this site. Go back to the application and try again.',
    },
  })

/**
 * The authorization endpoint, GET and POST (OIDC Core §3.1.2.1, checklist A07). No CORS here,
 * ever (RFC 9700 §2.6, A11): it is navigated to, not fetched. Errors are thrown to the one error
 * handler, which redirects them or shows the error page (middleware/render-error.tsx).
 * `POST /authorize/consent` is the consent page's answer (`decision` = `allow` or `deny`): CSRF
 * checked, from a live session of the user the page was shown to; the sealed request then runs
 * through the whole pipeline again, so nothing the browser holds is trusted.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 RFC 6749 §4.1.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#Consent OIDC Core §3.1.2.4}
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
  app.post('/consent', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    if (!csrfValid(deps, formOrigin(c, formField(form, 'csrf')))) throw consentRefused()
    const decision = formField(form, 'decision')
    const { request, session } = await openConsentAnswer(
      deps,
      formField(form, 'interaction'),
      sessionSecret(c),
    )
    if (decision !== 'allow' && decision !== 'deny') {
      throw new OAuthError('invalid_request', 'decision must be allow or deny', {
        allowRedirect: false,
        page: { title: 'Request refused', detail: 'Choose Allow or Deny on the consent page.' },
      })
    }
    const browser = { signedIn: session, consent: decision } as const
    return sendOutcome(c, await runAuthorization(deps, request, browser))
  })
  app.all('/', methodNotAllowed('GET, POST'))
  app.all('/consent', methodNotAllowed('POST'))
  return app
}

const browserOf = (c: AppContext) => ({ sessionSecret: sessionSecret(c) })
