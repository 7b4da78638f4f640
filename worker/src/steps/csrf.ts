import { getCookie, setCookie } from 'hono/cookie'
import type { AppContext } from '../context'
import { timingSafeEqual } from '../crypto/hash'
import { randomToken } from '../crypto/random'

const CSRF_COOKIE = 'csrf'

/**
 * The CSRF token of the forms this server renders (double submit): a random value in a
 * `__Host-csrf` cookie (HttpOnly, Secure, SameSite=Lax: a cross-site navigation to /authorize
 * still carries it, so every open sign-in form keeps its token) that the form sends back in a hidden
 * field. Reuses the browser's token when it has one, so several open tabs all stay valid.
 */
export function csrfToken(c: AppContext): string {
  const existing = getCookie(c, CSRF_COOKIE, 'host')
  if (existing !== undefined && /^[\w-]{43}$/.test(existing)) return existing
  const token = randomToken()
  setCookie(c, CSRF_COOKIE, token, {
    prefix: 'host',
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
  })
  return token
}

/**
 * True when a form POST comes from one of our own pages: the field matches the cookie, and the
 * browser says the request is same-origin. Our pages send `Referrer-Policy: no-referrer`, under
 * which browsers send `Origin: null` with form POSTs, so a null Origin is accepted when Fetch
 * Metadata (`Sec-Fetch-Site`, sent by current browsers whatever the referrer policy) agrees or is
 * absent; any other Origin must be this server's.
 */
export function csrfValid(c: AppContext, submitted: string | undefined): boolean {
  const origin = c.req.header('Origin')
  if (
    origin !== undefined &&
    origin !== 'null' &&
    origin !== new URL(c.get('config').issuer).origin
  ) {
    return false
  }
  const site = c.req.header('Sec-Fetch-Site')
  if (site !== undefined && site !== 'same-origin') return false
  const cookie = getCookie(c, CSRF_COOKIE, 'host')
  return cookie !== undefined && submitted !== undefined && timingSafeEqual(cookie, submitted)
}
