import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import type { FormFields } from '../domain/form-body'
import { passkeyName } from '../domain/passkeys'
import { OAuthError } from '../errors'
import { csrfValid } from '../steps/csrf'
import { findAccountHolder } from '../steps/passkeys/account-holder'
import { finishPasskeyRegistration } from '../steps/passkeys/finish-registration'
import {
  type PasskeyHolder,
  signedInRecently,
  startPasskeyRegistration,
} from '../steps/passkeys/start-registration'
import { sealAccountSignIn } from '../steps/sign-in-target'
import { listConsents } from '../storage/consents'
import { deletePasskeys, listPasskeys, renamePasskey } from '../storage/passkeys'
import {
  ACCOUNT_MESSAGES,
  type AccountMessage,
  AccountPage,
  AccountSignedOut,
} from '../views/account'
import { sendPage } from '../views/send-page'
import { formOrigin, giveCsrfToken, sessionSecret } from './browser-cookies'
import { methodNotAllowed } from './method-not-allowed'
import { formField, readForm } from './read-form'
import { ACCOUNT_PAGE_CLIENT_NAME, sendSignInPage } from './sign-in-page'

/** A form that did not come from the account page (CSRF check failed). */
const formRefused = () =>
  new OAuthError('invalid_request', 'The form failed the CSRF check', {
    status: 403,
    allowRedirect: false,
    page: {
      title: 'Request refused',
      detail: 'The form could not be verified.',
      advice: 'Open your account page again and retry from there.',
    },
  })

/** A form sent without a live session (signed out, or the session ended meanwhile). */
const notSignedIn = () =>
  new OAuthError('access_denied', 'Not signed in', {
    status: 401,
    allowRedirect: false,
    page: {
      title: 'You are not signed in',
      detail: 'Your session has ended.',
      advice: 'Sign in to one of your applications, then open your account page again.',
    },
  })

/** Back to the account page with a fixed message (never reflected input). */
export const backTo = (c: AppContext, message: AccountMessage) =>
  c.redirect(`/account?status=${message}`, 303)

/** The holder of a form POST: CSRF checked, then a live session; else refused. */
export async function formHolder(
  c: AppContext,
): Promise<{ holder: PasskeyHolder; form: FormFields }> {
  const deps = c.get('deps')
  const form = await readForm(c)
  if (!csrfValid(deps, formOrigin(c, formField(form, 'csrf')))) throw formRefused()
  const holder = await findAccountHolder(deps, sessionSecret(c))
  if (holder === null) throw notSignedIn()
  return { holder, form }
}

/**
 * The account page (`{issuer}/account`) and its passkey actions. Every POST is a form of this
 * page (CSRF token and same-origin check) from a live session, answered by a 303 back to the page
 * (A13), except `passkeys/options`, which answers the creation options as JSON to the page's
 * script. Adding a passkey needs a sign-in within five minutes, checked when the options are
 * made and again when the passkey is stored, and so does deleting one; otherwise `sign-in` re-authenticates the user
 * through the normal sign-in page and returns here.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-registering-a-new-credential WebAuthn §7.1}
 */
export function accountPasskeyRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    const deps = c.get('deps')
    const holder = await findAccountHolder(deps, sessionSecret(c))
    if (holder === null) return sendPage(c, <AccountSignedOut />, { status: 401 })
    const status = c.req.query('status')
    const message = status !== undefined && status in ACCOUNT_MESSAGES ? status : undefined
    return sendPage(
      c,
      <AccountPage
        email={holder.email}
        passkeys={await listPasskeys(deps.db, holder.tenantId, holder.userId)}
        consents={await listConsents(deps.db, holder.tenantId, holder.userId)}
        csrf={giveCsrfToken(c)}
        recent={signedInRecently(deps, holder)}
        message={message as AccountMessage | undefined}
      />,
      { script: true },
    )
  })

  app.get('/sign-in', async (c) => {
    const deps = c.get('deps')
    const holder = await findAccountHolder(deps, sessionSecret(c))
    if (holder === null) return sendPage(c, <AccountSignedOut />, { status: 401 })
    return sendSignInPage(c, {
      clientName: ACCOUNT_PAGE_CLIENT_NAME,
      interaction: await sealAccountSignIn(deps, holder.tenantId),
      email: holder.email,
    })
  })

  app.post('/passkeys/options', async (c) => {
    const { holder } = await formHolder(c)
    c.header('Cache-Control', 'no-store')
    const options = await startPasskeyRegistration(c.get('deps'), holder)
    if (options === 'reauthenticate') {
      return c.json({ error: 'reauthentication_required', sign_in: '/account/sign-in' }, 401)
    }
    return c.json(options)
  })

  app.post('/passkeys', async (c) => {
    const deps = c.get('deps')
    const { holder, form } = await formHolder(c)
    const name = passkeyName(formField(form, 'name')) ?? defaultName(deps.now())
    const outcome = await finishPasskeyRegistration(deps, holder, {
      credential: formField(form, 'credential'),
      name,
    })
    return backTo(c, outcome)
  })

  app.post('/passkeys/rename', async (c) => {
    const deps = c.get('deps')
    const { holder, form } = await formHolder(c)
    const name = passkeyName(formField(form, 'name'))
    if (name === undefined) return backTo(c, 'bad-name')
    await renamePasskey(deps.db, holder, formField(form, 'id') ?? '', name)
    return backTo(c, 'renamed')
  })

  app.post('/passkeys/delete', async (c) => {
    const deps = c.get('deps')
    const { holder, form } = await formHolder(c)
    // Removing a sign-in method is as sensitive as adding one: a session left open on a shared
    // computer must not be enough to take the owner's passkey away (NIST SP 800-63B §6.1.2.1).
    if (!signedInRecently(deps, holder)) return backTo(c, 'reauthenticate')
    const id = formField(form, 'id') ?? ''
    await deletePasskeys(deps.db, holder, id, {
      tenantId: holder.tenantId,
      actorType: 'user',
      actorId: holder.userId,
      action: 'passkey.deleted',
      targetType: 'user',
      targetId: holder.userId,
      requestId: deps.requestId,
      details: { credentialId: id },
      occurredAt: deps.now(),
    })
    return backTo(c, 'deleted')
  })

  app.all('/', methodNotAllowed('GET'))
  app.all('/sign-in', methodNotAllowed('GET'))
  for (const path of ['/passkeys', '/passkeys/options', '/passkeys/rename', '/passkeys/delete']) {
    app.all(path, methodNotAllowed('POST'))
  }
  return app
}

/** The name of a passkey added without one: the day it was added. */
function defaultName(now: number): string {
  return `Passkey added ${new Date(now * 1000).toISOString().slice(0, 10)}`
}
