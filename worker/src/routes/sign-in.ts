import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { authenticateUser } from '../steps/authenticate-user'
import { AuthorizePageError } from '../steps/authorize/authorize-errors'
import { checkRedirectUri } from '../steps/authorize/check-redirect-uri'
import { errorPage, INTERACTION_PURPOSE, signInPage } from '../steps/authorize/pages'
import { toParams } from '../steps/authorize/read-authorization-params'
import { runAuthorization } from '../steps/authorize/run-authorization'
import { clientIp } from '../steps/client-ip'
import { createSession } from '../steps/create-session'
import { csrfValid } from '../steps/csrf'
import { findClientById } from '../storage/clients'
import { nowSeconds } from '../storage/db'

const EXPIRED = new AuthorizePageError(
  'Sign-in expired',
  'This sign-in page is no longer valid. Go back to the application and sign in again.',
)

/**
 * The sign-in form's target. A valid submission starts a session and resumes the pending
 * authorization request, whose answer (a redirect to the application) is a 303 (RFC 9700 §4.12,
 * checklist A13). A wrong email or password shows the form again with one message for both.
 */
export function signInRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/', async (c) => {
    const form = await readForm(c)
    if (!csrfValid(c, form.get('csrf'))) {
      return errorPage(
        c,
        new AuthorizePageError(
          'Sign-in refused',
          'The form was not sent from this site. Reload the page and try again.',
        ),
        403,
      )
    }
    const pending = await c
      .get('services')
      .sealed.open<string>(INTERACTION_PURPOSE, form.get('interaction') ?? '')
    if (pending === undefined) return errorPage(c, EXPIRED)
    const params = toParams(new URLSearchParams(pending))
    const client =
      (await findClientById(c.get('db'), params.get('client_id')?.[0] ?? '')) ?? undefined
    if (client === undefined || !client.enabled) return errorPage(c, EXPIRED)

    let redirectUri: string
    try {
      // Checked again: an administrator may have changed the client since the page was shown.
      ;({ redirectUri } = checkRedirectUri(params, client))
    } catch (error) {
      if (error instanceof AuthorizePageError) return errorPage(c, error)
      throw error
    }
    const email = (form.get('email') ?? '').trim()
    const password = form.get('password') ?? ''
    const result =
      email === '' || password === ''
        ? ({ ok: false, reason: 'invalid' } as const)
        : await authenticateUser(c.get('deps'), client.tenantId, email, password, clientIp(c))
    if (!result.ok) {
      return result.reason === 'throttled'
        ? signInPage(c, params, client, redirectUri, email, {
            message: `Too many attempts. Try again in ${Math.ceil(result.retryAfterSeconds / 60)} minutes.`,
            status: 429,
            retryAfterSeconds: result.retryAfterSeconds,
          })
        : signInPage(c, params, client, redirectUri, email, {
            message: 'The email or password is incorrect.',
            status: 400,
          })
    }
    const session = await createSession(c, client.tenantId, result.userId, nowSeconds())
    return runAuthorization(c, params, session)
  })
  return app
}

async function readForm(c: AppContext): Promise<Map<string, string>> {
  const type = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase()
  const body = type === 'application/x-www-form-urlencoded' ? await c.req.text() : ''
  return new Map(new URLSearchParams(body))
}
