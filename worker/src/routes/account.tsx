import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { sha256 } from '../crypto/hash'
import { hashPassword } from '../crypto/password'
import { passwordProblem } from '../domain/password-policy'
import { csrfToken, csrfValid } from '../steps/csrf'
import type { AuditEvent } from '../storage/audit'
import { nowSeconds } from '../storage/db'
import { findLiveInvitation, redeemInvitation } from '../storage/user-invitations'
import { sendPage } from '../views/send-page'
import {
  type FieldProblem,
  InvalidLinkPage,
  PasswordSetPage,
  RequestRefusedPage,
  SetPasswordPage,
} from '../views/set-password'

/** What randomToken() makes: 32 bytes in base64url. Anything else is not worth a D1 query. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/

/** The user a live link is for; an unknown, used or expired link, or a malformed one, is null. */
async function liveInvitation(c: AppContext, token: string) {
  if (!TOKEN_FORMAT.test(token)) return null
  return findLiveInvitation(c.get('db'), await sha256(token), nowSeconds())
}

/**
 * True when the form was posted by our own page: the double-submit CSRF check of our forms
 * (OWASP CSRF Prevention Cheat Sheet), and an `Origin` header that is required here: every
 * current browser sends it with a form POST, and a link that sets a password warrants refusing
 * the rest (OWASP "Verifying origin with standard headers").
 */
function isOwnForm(c: AppContext, csrf: string): boolean {
  return c.req.header('Origin') !== undefined && csrfValid(c, csrf)
}

/**
 * The pages of invitation and password-reset links: GET shows the form, POST sets the password
 * and answers 303 to a confirmation (checklist A13), so a reload never submits it again.
 */
export function accountRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/set-password', async (c) => {
    const token = c.req.query('token') ?? ''
    const invited = await liveInvitation(c, token)
    if (invited === null) return sendPage(c, <InvalidLinkPage />, { status: 400 })
    return sendPage(c, <SetPasswordPage token={token} csrf={csrfToken(c)} email={invited.email} />)
  })

  app.post('/set-password', async (c) => {
    const form = await c.req.parseBody()
    const field = (name: string) => {
      const value = form[name]
      return typeof value === 'string' ? value : ''
    }
    const token = field('token')
    const csrf = field('csrf')
    const password = field('password')
    if (!isOwnForm(c, csrf)) return sendPage(c, <RequestRefusedPage />, { status: 403 })
    const invited = await liveInvitation(c, token)
    if (invited === null) return sendPage(c, <InvalidLinkPage />, { status: 400 })

    const retry = (problem: FieldProblem) =>
      sendPage(
        c,
        <SetPasswordPage token={token} csrf={csrf} email={invited.email} problem={problem} />,
        { status: 400 },
      )
    const detail = await passwordProblem(password, { email: invited.email })
    if (detail !== undefined) return retry({ field: 'password', message: detail })
    if (field('confirm') !== password) {
      return retry({ field: 'confirm', message: 'The two passwords are not the same' })
    }

    const now = nowSeconds()
    const audit: AuditEvent = {
      tenantId: invited.tenantId,
      actorType: 'user',
      actorId: invited.userId,
      action: 'user.password_set',
      targetType: 'user',
      targetId: invited.userId,
      requestId: c.get('requestId'),
      details: { via: 'link' },
      occurredAt: now,
    }
    const redeemed = await redeemInvitation(
      c.get('db'),
      {
        tokenHash: await sha256(token),
        userId: invited.userId,
        passwordHash: await hashPassword(password),
        now,
      },
      audit,
    )
    // Another submission of the same link won the race: this one changed nothing.
    if (!redeemed) return sendPage(c, <InvalidLinkPage />, { status: 400 })
    return c.redirect('/account/password-set', 303)
  })

  app.get('/password-set', (c) => sendPage(c, <PasswordSetPage />))

  return app
}
