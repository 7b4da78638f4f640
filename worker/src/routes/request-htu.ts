import type { AppContext } from '../context'

/** The issuer's origin, parsed once per isolate (the issuer does not change while it lives). */
let issuerOrigin: { issuer: string; origin: string } | undefined

/**
 * The URL a DPoP proof must name (`htu`) for this request: the issuer's origin and the path the
 * request was made to, so a proxy or a local host name in front of the worker changes nothing.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3}
 */
export function requestHtu(c: AppContext): string {
  const { issuer } = c.get('deps').config
  if (issuerOrigin?.issuer !== issuer) issuerOrigin = { issuer, origin: new URL(issuer).origin }
  // A URL's pathname is already serialized: origin + pathname is what `new URL(pathname, issuer)`
  // would give.
  return issuerOrigin.origin + new URL(c.req.url).pathname
}
