/** Hosts where plain http is allowed (local development and native apps, RFC 8252 §7.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** At most this long, like every URL a browser will reliably carry. */
const MAX_URI_LENGTH = 2000

/**
 * How an authorization response travels to the client: in the query, in the fragment (OAuth 2.0
 * Multiple Response Type Encoding Practices §2.1), as an auto-submitted form (OAuth 2.0 Form
 * Post Response Mode), or posted by a page to the window that opened or framed it, at the
 * redirect URI's origin (OAuth 2.0 Web Message Response Mode draft).
 * @see {@link https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 *   Multiple Response Type Encoding §2.1}
 * @see {@link https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
 *   Form Post Response Mode}
 * @see {@link https://datatracker.ietf.org/doc/html/draft-sakimura-oauth-wmrm-00
 *   Web Message Response Mode}
 */
export type ResponseMode = 'query' | 'fragment' | 'form_post' | 'web_message'

/**
 * Where an authorization response (success or error) may be sent: a redirect URI verified for
 * the request's client, how, and the request's `state` to send back.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 RFC 6749 §4.1.2}
 */
export interface RedirectTarget {
  redirectUri: string
  responseMode: ResponseMode
  state: string | undefined
}

/**
 * `http://127.0.0.1` or `http://[::1]`, an optional port, then the rest (path, query) or nothing.
 * Anything else after the host (`@`, `.`, another character) is not a loopback literal.
 */
const LOOPBACK_IP_URI = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?([/?].*)?$/s

/**
 * Whether a requested redirect URI matches a registered one: byte for byte (RFC 9700 §2.1,
 * OIDC Core §3.1.2.1; checklist A01), except that a loopback IP literal matches on any port,
 * because a native app listens on a port the system gives it at the time of the request
 * (RFC 8252 §7.3). `localhost` by name stays exact (RFC 8252 §8.3 recommends the literals).
 * Used for `redirect_uri` and for `post_logout_redirect_uri` alike.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8252#section-7.3 RFC 8252 §7.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-2.1 RFC 9700 §2.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc8252#section-8.3 RFC 8252 §8.3}
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true
  const a = LOOPBACK_IP_URI.exec(registered)
  const b = LOOPBACK_IP_URI.exec(requested)
  if (a === null || b === null) return false
  const port = b[2] === undefined ? undefined : Number(b[2])
  if (port !== undefined && (port < 1 || port > 65535)) return false
  return a[1] === b[1] && (a[3] ?? '') === (b[3] ?? '')
}

/**
 * Why a redirect (or post-logout redirect) URI cannot be registered, or undefined when it can:
 * absolute, http(s), no fragment, no credentials, https except on loopback hosts. It is stored
 * exactly as given, because redirect URIs are matched byte for byte, loopback IP literals on any
 * port ({@link redirectUriMatches}; RFC 9700 §2.1, RFC 6749 §3.1.2, OIDC Core §3.1.2.1; checklist
 * A01, A04 and docs/architecture.md "Redirect URIs").
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-2.1 RFC 9700 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2 RFC 6749 §3.1.2}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 */
export function redirectUriProblem(value: string): string | undefined {
  if (value.length > MAX_URI_LENGTH) return `must be at most ${MAX_URI_LENGTH} characters`
  if (!/^[\x21-\x7E]+$/.test(value)) {
    return 'must be printable ASCII without spaces (percent-encode other characters)'
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL'
  if (value.includes('#')) return 'must not contain a fragment (RFC 6749 §3.1.2)'
  if (url.username !== '' || url.password !== '') return 'must not contain credentials'
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'must use https (http is allowed only on localhost, 127.0.0.1 and [::1])'
  }
  return undefined
}

/**
 * Why a value cannot be an allowed CORS origin, or undefined: an origin (scheme, host and
 * optional port, nothing else), https except on loopback hosts. Compared exactly with the
 * browser's `Origin` header, so it must be in the serialized form the browser sends.
 */
export function corsOriginProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'must be an origin such as https://app.example.com'
  }
  if (url.origin === 'null' || url.origin !== value) {
    return `must be an origin such as https://app.example.com (scheme, host, port; no path)`
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return 'must use https (http is allowed only on localhost, 127.0.0.1 and [::1])'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) origin'
  return undefined
}
