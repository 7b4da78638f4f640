import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

/**
 * Headers on every response. Nothing this server sends may be framed (RFC 9700 §4.16, RFC 6749
 * §10.13) or leak its URL through Referer (RFC 9700 §4.2.4); pages that render HTML set a
 * stricter Content-Security-Policy of their own. Cross-Origin-Opener-Policy is left out so an
 * app may still run sign-in in a popup. The one page that may be framed, the web_message response
 * (views/web-message.tsx), names its framing origin in `frame-ancestors`; it gets no
 * `X-Frame-Options: DENY`, which would say the opposite.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.16 RFC 9700 §4.16}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.13 RFC 6749 §10.13}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4 RFC 9700 §4.2.4}
 */
export function securityHeaders(https: boolean): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    strictTransportSecurity: https ? 'max-age=63072000; includeSubDomains' : false,
    xDownloadOptions: false,
    xDnsPrefetchControl: false,
    xXssProtection: false,
    originAgentCluster: false,
    xPermittedCrossDomainPolicies: false,
    // Pages set a Content-Security-Policy of their own (their stylesheet, a form target).
    overwrite: false,
  })
  return async (c, next) => {
    await headers(c, next)
    if (allowsFramingOrigin(c.res.headers.get('Content-Security-Policy'))) {
      c.res.headers.delete('X-Frame-Options')
    }
  }
}

/** Whether a policy has a `frame-ancestors` directive that names a source, not `'none'`. */
const allowsFramingOrigin = (policy: string | null) =>
  policy !== null && /(^|;)\s*frame-ancestors\s+(?!'none')\S/.test(policy)
