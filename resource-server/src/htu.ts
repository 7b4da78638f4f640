/**
 * The `htu` form of a URL: scheme, host (lower case, default port dropped by the URL parser,
 * RFC 3986 §6.2.2 and §6.2.3) and path; no query, no fragment. Undefined for anything that is
 * not an absolute http(s) URL without credentials.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3 item 9}
 */
export function normalizeHtu(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username !== '' || url.password !== '') return undefined
  return `${url.protocol}//${url.host}${url.pathname}`
}
