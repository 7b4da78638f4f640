/** Hosts where plain http is allowed (local development and native apps, RFC 8252 §7.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** At most this long, like every URL a browser will reliably carry. */
const MAX_URI_LENGTH = 2000

/**
 * Why a redirect (or post-logout redirect) URI cannot be registered, or undefined when it can:
 * absolute, http(s), no fragment, no credentials, https except on loopback hosts. It is stored
 * exactly as given, because redirect URIs are matched byte for byte (RFC 9700 §2.1,
 * RFC 6749 §3.1.2, OIDC Core §3.1.2.1; checklist A04 and ARCHITECTURE.md "Redirect URIs").
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
