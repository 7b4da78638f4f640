import type { MiddlewareHandler } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { sha256 } from '../crypto/hash'
import type { Limiters } from '../deps'
import { addressKey } from '../domain/address-key'
import { readAuthorization } from '../domain/bearer'
import { OAuthError, ProblemError } from '../errors'
import { clientIp } from '../routes/client-ip'

/** The period of the request limiters in wrangler.toml: a refused caller may retry after it. */
const LIMIT_PERIOD_SECONDS = 60
const RETRY_AFTER = { 'Retry-After': String(LIMIT_PERIOD_SECONDS) }

interface RequestLimitOptions {
  limiter: keyof Limiters
  /** The key the request is counted under; undefined leaves it uncounted. */
  key: (c: AppContext) => Promise<string | undefined> | string
  /** The error a refused request gets, in the endpoint's own format. */
  refuse: () => Error
}

function requestLimit({ limiter, key, refuse }: RequestLimitOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const counted = await key(c)
    if (counted !== undefined) {
      const { success } = await c.get('deps').limiters[limiter].limit({ key: counted })
      if (!success) throw refuse()
    }
    await next()
  }
}

/**
 * Bounds authorization requests per address (IPv6 per /64; `AUTHORIZE_REQUESTS`): 429 with
 * `Retry-After`, as an OAuthError the renderer shows as the endpoint's error page (never a
 * redirect: the request is refused before its client or redirect_uri is checked).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6585#section-4 RFC 6585 §4}
 */
export function authorizeRequestLimit(): MiddlewareHandler<AppEnv> {
  return requestLimit({
    limiter: 'authorizeRequests',
    key: (c) => `ip:${addressKey(clientIp(c))}`,
    refuse: () =>
      new OAuthError('temporarily_unavailable', 'Too many requests, retry later', {
        status: 429,
        headers: RETRY_AFTER,
      }),
  })
}

/**
 * Bounds management API requests per access token (Bearer or DPoP) (`API_REQUESTS`), keyed by the token's
 * SHA-256 so the limiter never holds a token: 429 with `Retry-After` as an RFC 9457 problem.
 * A request without a token is left to the authentication check.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6585#section-4 RFC 6585 §4}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9457 RFC 9457}
 */
export function apiRequestLimit(): MiddlewareHandler<AppEnv> {
  return requestLimit({
    limiter: 'apiRequests',
    key: async (c) => {
      const token = readAuthorization(c.req.header('Authorization'))?.token
      return token === undefined ? undefined : `token:${await sha256(token)}`
    },
    refuse: () =>
      new ProblemError(
        429,
        'too-many-requests',
        'Too many requests',
        'This access token sent too many requests: retry after the Retry-After delay',
        { headers: RETRY_AFTER },
      ),
  })
}
