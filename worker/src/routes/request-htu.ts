import type { AppContext } from '../context'

/**
 * The URL a DPoP proof must name (`htu`) for this request: the issuer's origin and the path the
 * request was made to, so a proxy or a local host name in front of the worker changes nothing.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3}
 */
export function requestHtu(c: AppContext): string {
  return new URL(new URL(c.req.url).pathname, c.get('deps').config.issuer).href
}
