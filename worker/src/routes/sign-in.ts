import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import type { FormFields } from '../domain/form-body'
import { OAuthError } from '../errors'
import { authenticateUser, type SignInResult } from '../steps/authenticate-user'
import { sealInteraction } from '../steps/authorize/interaction'
import { runAuthorization } from '../steps/authorize/run-authorization'
import { createSession } from '../steps/create-session'
import { csrfValid } from '../steps/csrf'
import { authenticatePasskey } from '../steps/passkeys/authenticate-passkey'
import { startPasskeySignIn } from '../steps/passkeys/start-authentication'
import { openSignInTarget, type SignInTarget, sealAccountSignIn } from '../steps/sign-in-target'
import { sendOutcome } from './authorization-outcome'
import { formOrigin, setSessionCookie } from './browser-cookies'
import { clientIp } from './client-ip'
import { methodNotAllowed } from './method-not-allowed'
import { formField, readForm } from './read-form'
import { ACCOUNT_PAGE_CLIENT_NAME, sendSignInPage } from './sign-in-page'

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
 * The sign-in form's target. A valid submission (an email and password, or a passkey's answer in
 * the `passkey` field) starts a session and resumes the pending authorization request, whose
 * answer (a redirect to the application) is a 303 (RFC 9700 §4.12, checklist A13), or returns to
 * the account page. A wrong email or password, or a passkey that is not accepted, shows the form
 * again with one message; both count under the same failure limits. Every other failure is
 * thrown to the one error handler (middleware/render-error.tsx).
 * `POST /signin/passkey` answers the request options of a passkey sign-in for the same form.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.12 RFC 9700 §4.12}
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-verifying-assertion WebAuthn §7.2}
 */
export function signInRoutes() {
  const app = new Hono<AppEnv>()
  app.post('/', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    if (!csrfValid(deps, formOrigin(c, formField(form, 'csrf')))) throw signInRefused()
    const target = await openSignInTarget(deps, formField(form, 'interaction'))
    const passkey = formField(form, 'passkey')
    const email = (formField(form, 'email') ?? '').trim()
    const result = await signIn(c, target.tenantId, form)
    if (!result.ok) {
      return sendSignInPage(c, {
        ...(await pageOf(c, target)),
        email,
        problem:
          result.reason === 'throttled'
            ? {
                message: `Too many attempts. Try again in ${minutesText(result.retryAfterSeconds)}.`,
                status: 429,
                retryAfterSeconds: result.retryAfterSeconds,
              }
            : {
                message:
                  passkey === undefined
                    ? 'The email or password is incorrect.'
                    : 'The passkey was not accepted.',
                status: 400,
              },
      })
    }
    const { session, secret } = await createSession(
      deps,
      target.tenantId,
      result.userId,
      result.amr,
    )
    setSessionCookie(c, secret)
    if (target.kind === 'account') return c.redirect('/account', 303)
    return sendOutcome(c, await runAuthorization(deps, target.request, { signedIn: session }))
  })

  app.post('/passkey', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    if (!csrfValid(deps, formOrigin(c, formField(form, 'csrf')))) throw signInRefused()
    const target = await openSignInTarget(deps, formField(form, 'interaction'))
    c.header('Cache-Control', 'no-store')
    return c.json(await startPasskeySignIn(deps, target.tenantId))
  })

  app.all('/', methodNotAllowed('POST'))
  app.all('/passkey', methodNotAllowed('POST'))
  return app
}

/** Checks the form's passkey answer when it has one, else its email and password. */
function signIn(c: AppContext, tenantId: string, form: FormFields): Promise<SignInResult> {
  const deps = c.get('deps')
  const passkey = formField(form, 'passkey')
  if (passkey !== undefined) return authenticatePasskey(deps, tenantId, passkey, clientIp(c))
  const email = (formField(form, 'email') ?? '').trim()
  const password = formField(form, 'password') ?? ''
  if (email === '' || password === '') return Promise.resolve({ ok: false, reason: 'invalid' })
  return authenticateUser(deps, tenantId, email, password, clientIp(c))
}

/** The sign-in page of a target again, with a new seal of the same interaction. */
async function pageOf(c: AppContext, target: SignInTarget) {
  const deps = c.get('deps')
  if (target.kind === 'account') {
    return {
      clientName: ACCOUNT_PAGE_CLIENT_NAME,
      interaction: await sealAccountSignIn(deps, target.tenantId),
    }
  }
  return {
    clientName: target.client.name,
    interaction: await sealInteraction(deps, target.request),
    redirectUri: target.redirectUri,
  }
}

/** "1 minute", "15 minutes": how long a throttled person waits, rounded up. */
function minutesText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}
