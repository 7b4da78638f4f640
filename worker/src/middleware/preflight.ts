import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context'
import { isKnownClientOrigin } from '../storage/clients'

/** Browsers may reuse a preflight answer this long (seconds). */
const PREFLIGHT_MAX_AGE = 600

/**
 * Answers CORS preflights of the endpoints browser apps call (token, userinfo, revocation). A
 * preflight names no client, so it is allowed for any origin some client accepts; the actual
 * response is readable only when the origin is one the request's own client accepts
 * (domain/cors.ts).
 */
export function preflight(methods: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('Origin')
    if (
      c.req.method !== 'OPTIONS' ||
      origin === undefined ||
      !c.req.header('Access-Control-Request-Method')
    ) {
      return next()
    }
    c.header('Vary', 'Origin')
    if (!(await isKnownClientOrigin(c.get('db'), origin))) return c.body(null, 204)
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, DPoP',
      'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE),
    })
  }
}
