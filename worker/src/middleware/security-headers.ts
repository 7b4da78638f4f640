import type { MiddlewareHandler } from 'hono'

/**
 * The policy of every response that does not set its own: it loads nothing, may not be framed,
 * and its forms post nowhere (a JSON answer needs none of it).
 */
const DEFAULT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

/** Two years, the usual preload-list value. */
const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains'

/**
 * Headers on every response. Nothing this server sends may be framed (RFC 9700 §4.16, RFC 6749
 * §10.13) or leak its URL through Referer (RFC 9700 §4.2.4); pages that render HTML set a
 * stricter Content-Security-Policy of their own, which is kept. Referrer-Policy,
 * X-Content-Type-Options and Strict-Transport-Security are the same on every response, so they
 * are set without asking whether a handler set them. Cross-Origin-Opener-Policy is left out so an
 * app may still run sign-in in a popup. The one page that may be framed, the web_message response
 * (views/web-message.tsx), names its framing origin in `frame-ancestors`; it gets no
 * `X-Frame-Options: DENY`, which would say the opposite.
 *
 * The header list is built once, here, and each header costs one call into the runtime: this runs
 * on every response (issue 14, docs/performance.md "Per-request overhead").
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.16 RFC 9700 §4.16}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.13 RFC 6749 §10.13}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4 RFC 9700 §4.2.4}
 */
export function securityHeaders(https: boolean): MiddlewareHandler {
  const fixed: readonly (readonly [string, string])[] = [
    ['Referrer-Policy', 'no-referrer'],
    ...(https ? [['Strict-Transport-Security', STRICT_TRANSPORT_SECURITY] as const] : []),
    ['X-Content-Type-Options', 'nosniff'],
  ]
  return async (c, next) => {
    await next()
    const headers = c.res.headers
    for (const [name, value] of fixed) headers.set(name, value)
    const policy = headers.get('Content-Security-Policy')
    if (policy === null) headers.set('Content-Security-Policy', DEFAULT_CONTENT_SECURITY_POLICY)
    if (policy === null || !allowsFramingOrigin(policy)) headers.set('X-Frame-Options', 'DENY')
  }
}

/** Whether a policy has a `frame-ancestors` directive that names a source, not `'none'`. */
const allowsFramingOrigin = (policy: string) =>
  /(^|;)\s*frame-ancestors\s+(?!'none')\S/.test(policy)
