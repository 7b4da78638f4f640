/**
 * Site comparison for the third-party cookie diagnosis.
 *
 * Browsers partition or block cookies by "site" (scheme + registrable domain, HTML §7.1.1
 * "same site"; Chromium compares schemes too). A public-suffix list would be exact but weighs
 * ~40 KB, so this is a heuristic: IP literals and single-label hosts such as `localhost` are their
 * own site, other names keep their last two labels. It errs on "same site" for names under
 * multi-label suffixes (`a.co.uk` vs `b.co.uk`), which only costs a less precise error message.
 */

/**
 * The site of a URL: scheme plus registrable domain (heuristic, see the module comment).
 *
 * @example
 * siteOf('https://auth.example.com') // 'https://example.com'
 * siteOf('http://127.0.0.1:8787') // 'http://127.0.0.1'
 */
export function siteOf(url: string): string {
  const { hostname: host, protocol } = new URL(url)
  const domain = /^\[|^[\d.]+$|^[^.]+$/.test(host) ? host : host.split('.').slice(-2).join('.')
  return `${protocol}//${domain}`
}

/**
 * Whether a host is a loopback host, where `http` is acceptable (RFC 8252 §8.3, and our
 * redirect URI rule in docs/architecture.md).
 *
 * @example
 * isLoopback(new URL('http://localhost:8787')) // true
 */
export function isLoopback(url: URL): boolean {
  return /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname)
}
