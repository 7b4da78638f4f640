import type { CookieOptions } from 'hono/utils/cookie'
import { timingSafeEqual } from '../crypto/hash'
import { randomToken } from '../crypto/random'
import type { Deps } from '../deps'

/** The CSRF cookie's name, without the `__Host-` prefix the cookie helpers add. */
export const CSRF_COOKIE_NAME = 'csrf'

/**
 * HttpOnly, Secure, SameSite=Lax: a cross-site navigation to /authorize still carries it, so
 * every open sign-in form keeps its token.
 */
export const CSRF_COOKIE_OPTIONS = {
  prefix: 'host',
  httpOnly: true,
  secure: true,
  sameSite: 'Lax',
  path: '/',
} as const satisfies CookieOptions

/**
 * The CSRF token of the forms this server renders (double submit, OWASP CSRF Prevention Cheat
 * Sheet): a random value in a `__Host-csrf` cookie that the form sends back in a hidden field.
 * Reuses the browser's token when it has one, so several open tabs all stay valid; `isNew` says
 * the route must set the cookie.
 */
export function csrfToken(existing: string | undefined): { token: string; isNew: boolean } {
  if (existing !== undefined && /^[\w-]{43}$/.test(existing)) {
    return { token: existing, isNew: false }
  }
  return { token: randomToken(), isNew: true }
}

/** What a form POST tells about where it comes from, as the route read it. */
export interface FormOrigin {
  /** The `Origin` header. */
  origin: string | undefined
  /** The `Sec-Fetch-Site` header (Fetch Metadata). */
  fetchSite: string | undefined
  /** The `__Host-csrf` cookie. */
  cookie: string | undefined
  /** The form's `csrf` field. */
  submitted: string | undefined
}

/**
 * True when a form POST comes from one of our own pages: the field matches the cookie, and the
 * browser says the request is same-origin. Our pages send `Referrer-Policy: no-referrer`, under
 * which browsers send `Origin: null` with form POSTs, so a null Origin is accepted when Fetch
 * Metadata (`Sec-Fetch-Site`, sent by current browsers whatever the referrer policy) agrees or is
 * absent; any other Origin must be this server's.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6454#section-7 RFC 6454 §7}
 * @see {@link https://www.w3.org/TR/fetch-metadata/ Fetch Metadata Request Headers}
 */
export function csrfValid(deps: Pick<Deps, 'config'>, form: FormOrigin): boolean {
  const { origin, fetchSite, cookie, submitted } = form
  if (origin !== undefined && origin !== 'null' && origin !== new URL(deps.config.issuer).origin) {
    return false
  }
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false
  return cookie !== undefined && submitted !== undefined && timingSafeEqual(cookie, submitted)
}
