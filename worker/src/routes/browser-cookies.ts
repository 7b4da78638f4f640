import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { SESSION_COOKIE_NAME } from '../domain/session'
import { SESSION_COOKIE_OPTIONS } from '../steps/create-session'
import { CSRF_COOKIE_NAME, CSRF_COOKIE_OPTIONS, csrfToken, type FormOrigin } from '../steps/csrf'

/** The CSRF token for a form this response renders; sets its cookie when the browser has none. */
export function giveCsrfToken(c: Context): string {
  const { token, isNew } = csrfToken(getCookie(c, CSRF_COOKIE_NAME, 'host'))
  if (isNew) setCookie(c, CSRF_COOKIE_NAME, token, CSRF_COOKIE_OPTIONS)
  return token
}

/** Where a form POST comes from, for steps/csrf.ts `csrfValid`. */
export function formOrigin(c: Context, submitted: string | undefined): FormOrigin {
  return {
    origin: c.req.header('Origin'),
    fetchSite: c.req.header('Sec-Fetch-Site'),
    cookie: getCookie(c, CSRF_COOKIE_NAME, 'host'),
    submitted,
  }
}

/** The secret of the browser's session cookie, if it sent one. */
export function sessionSecret(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE_NAME, 'host')
}

export function setSessionCookie(c: Context, secret: string): void {
  setCookie(c, SESSION_COOKIE_NAME, secret, SESSION_COOKIE_OPTIONS)
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE_NAME, { prefix: 'host', path: '/', secure: true })
}
