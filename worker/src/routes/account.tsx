import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { sha256 } from '../crypto/hash'
import { hashPassword } from '../crypto/password'
import type { Deps } from '../deps'
import { OAuthError } from '../errors'
import { newPasswordProblem } from '../steps/check-new-password'
import { csrfValid } from '../steps/csrf'
import type { AuditEvent } from '../storage/audit'
import { findLiveInvitation, redeemInvitation } from '../storage/user-invitations'
import { sendPage } from '../views/send-page'
import { type FieldProblem, PasswordSetPage, SetPasswordPage } from '../views/set-password'
import { formOrigin, giveCsrfToken } from './browser-cookies'
import { methodNotAllowed } from './method-not-allowed'
import { formField, readForm } from './read-form'

/** What randomToken() makes: 32 bytes in base64url. Anything else is not worth a D1 query. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/

/**
 * The same page for an unknown, used and expired link, so the page tells nothing about which
 * links exist or whose they are.
 */
const invalidLink = () =>
  new OAuthError('invalid_request', 'The link is invalid, expired or used', {
    allowRedirect: false,
    page: {
      title: 'This link cannot be used',
      detail: 'The link is invalid, has expired, or has already been used.',
      advice: 'Ask your administrator for a new one.',
    },
  })

/** A submission that did not come from this site's form (CSRF check failed). */
const requestRefused = () =>
  new OAuthError('invalid_request', 'The form failed the CSRF check', {
    status: 403,
    allowRedirect: false,
    page: {
      title: 'Request refused',
      detail: 'The form could not be verified.',
      advice: 'Open the link you were sent again, and submit the form from that page.',
    },
  })

/** The user a live link is for; an unknown, used or expired link, or a malformed one, throws. */
async function liveInvitation({ db, now }: Deps, token: string) {
  const invited = TOKEN_FORMAT.test(token)
    ? await findLiveInvitation(db, await sha256(token), now())
    : null
  if (invited === null) throw invalidLink()
  return invited
}

/**
 * The pages of invitation and password-reset links: GET shows the form, POST sets the password
 * and answers 303 to a confirmation (checklist A13), so a reload never submits it again. A body
 * that cannot be read is refused before anything else (N07). The form's POST must carry an
 * `Origin` header besides the CSRF token: every current browser sends it with a form POST, and a
 * link that sets a password warrants refusing the rest (OWASP "Verifying origin with standard
 * headers").
 */
export function accountRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/set-password', async (c) => {
    const token = c.req.query('token') ?? ''
    const invited = await liveInvitation(c.get('deps'), token)
    return sendPage(
      c,
      <SetPasswordPage token={token} csrf={giveCsrfToken(c)} email={invited.email} />,
    )
  })

  app.post('/set-password', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    const field = (name: string) => formField(form, name) ?? ''
    const token = field('token')
    const csrf = field('csrf')
    const password = field('password')
    const origin = formOrigin(c, csrf)
    if (origin.origin === undefined || !csrfValid(deps, origin)) throw requestRefused()
    const invited = await liveInvitation(c.get('deps'), token)

    const retry = (problem: FieldProblem) =>
      sendPage(
        c,
        <SetPasswordPage token={token} csrf={csrf} email={invited.email} problem={problem} />,
        { status: 400 },
      )
    const detail = await newPasswordProblem(deps, password, { email: invited.email })
    if (detail !== undefined) return retry({ field: 'password', message: detail })
    if (field('confirm') !== password) {
      return retry({ field: 'confirm', message: 'The two passwords are not the same' })
    }

    const now = deps.now()
    const audit: AuditEvent = {
      tenantId: invited.tenantId,
      actorType: 'user',
      actorId: invited.userId,
      action: 'user.password_set',
      targetType: 'user',
      targetId: invited.userId,
      requestId: deps.requestId,
      details: { via: 'link' },
      occurredAt: now,
    }
    const redeemed = await redeemInvitation(
      deps.db,
      {
        tokenHash: await sha256(token),
        userId: invited.userId,
        passwordHash: await hashPassword(password),
        now,
      },
      audit,
    )
    // Another submission of the same link won the race: this one changed nothing.
    if (!redeemed) throw invalidLink()
    return c.redirect('/account/password-set', 303)
  })

  app.get('/password-set', (c) => sendPage(c, <PasswordSetPage />))

  app.all('/set-password', methodNotAllowed('GET, POST'))
  return app
}
