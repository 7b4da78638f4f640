import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { OAuthError } from '../errors'
import { authenticateUser } from '../steps/authenticate-user'
import { authorizePageErrors } from '../steps/authorize/authorize-errors'
import { checkRedirectUri } from '../steps/authorize/check-redirect-uri'
import { openInteraction, sealInteraction } from '../steps/authorize/interaction'
import { runAuthorization } from '../steps/authorize/run-authorization'
import { createSession } from '../steps/create-session'
import { csrfValid } from '../steps/csrf'
import { findClientById } from '../storage/clients'
import { sendOutcome } from './authorization-outcome'
import { formOrigin, setSessionCookie } from './browser-cookies'
import { clientIp } from './client-ip'
import { methodNotAllowed } from './method-not-allowed'
import { formField, readForm } from './read-form'
import { sendSignInPage } from './sign-in-page'

/** A form that did not come from our sign-in page (CSRF check failed). */
const signInRefused = () =>
  new OAuthError('invalid_request', 'The sign-in form failed the CSRF check', {
    status: 403,
    allowRedirect: false,
    page: {
      title: 'Sign-in refused',
      detail: 'The form was not sent from this site. Reload the page and try again.',
    },
  })

/**
 * The sign-in form's target. A valid submission starts a session and resumes the pending
 * authorization request, whose answer (a redirect to the application) is a 303 (RFC 9700 §4.12,
 * checklist A13). A wrong email or password shows the form again with one message for both.
 * Every other failure is thrown to the one error handler (middleware/render-error.tsx).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.12 RFC 9700 §4.12}
 */
export function signInRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    if (!csrfValid(deps, formOrigin(c, formField(form, 'csrf')))) throw signInRefused()
    const request = await openInteraction(deps, formField(form, 'interaction'))
    if (request === undefined) throw authorizePageErrors.signInExpired()
    const client = await findClientById(deps.db, request.clientId ?? '')
    if (client === null || !client.enabled) throw authorizePageErrors.signInExpired()
    // Checked again: an administrator may have changed the client since the page was shown.
    const { redirectUri } = checkRedirectUri(request, client)

    const email = (formField(form, 'email') ?? '').trim()
    const password = formField(form, 'password') ?? ''
    const result =
      email === '' || password === ''
        ? ({ ok: false, reason: 'invalid' } as const)
        : await authenticateUser(c.get('deps'), client.tenantId, email, password, clientIp(c))
    if (!result.ok) {
      const page = {
        clientName: client.name,
        interaction: await sealInteraction(deps, request),
        redirectUri,
        email,
      }
      return sendSignInPage(c, {
        ...page,
        problem:
          result.reason === 'throttled'
            ? {
                message: `Too many attempts. Try again in ${minutesText(result.retryAfterSeconds)}.`,
                status: 429,
                retryAfterSeconds: result.retryAfterSeconds,
              }
            : { message: 'The email or password is incorrect.', status: 400 },
      })
    }
    const { session, secret } = await createSession(deps, client.tenantId, result.userId)
    setSessionCookie(c, secret)
    return sendOutcome(c, await runAuthorization(deps, request, { signedIn: session }))
  })
  app.all('/', methodNotAllowed('POST'))
  return app
}

/** "1 minute", "15 minutes": how long a throttled person waits, rounded up. */
function minutesText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}
