import { expect } from 'vitest'
import { ISSUER } from '../helpers/worker'
import type { Answer } from './harness'

/** The error codes this server may send (RFC 6749 §4.1.2.1, §5.2, OIDC Core §3.1.2.6, RFC 6750 §3.1, RFC 7009 §2.2.1, RFC 8707 §2, RFC 9449 §5, §8). */
export const REGISTERED_ERRORS: ReadonlySet<string> = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'invalid_token',
  'insufficient_scope',
  'unsupported_token_type',
  'invalid_target',
  'invalid_dpop_proof',
  'use_dpop_nonce',
])

/** RFC 6749 §5.2: error_description characters. */
const WIRE_SAFE = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/

/** The script tags the server writes (same origin): the form-post submitter, the passkeys script. */
const OWN_SCRIPT = /<script src="\/assets\/(form-post|passkeys)\.js" defer(="")?><\/script>/g

/**
 * What the hostile values carry: tags and attribute break-outs. Escaped, none of these
 * sequences survives (`<` becomes `&lt;`, `"` becomes `&quot;`, `'` becomes `&#39;`).
 */
const INJECTED = [
  /<script/i,
  /<img/i,
  /<svg/i,
  /<iframe/i,
  /fuzz-breakout="/,
  /fuzz-breakout='/,
  // A URL attribute that would run script; the same text inside a value attribute is inert.
  /\b(href|src|action|formaction)="?javascript:/i,
]

export function isRedirect(answer: Answer): boolean {
  return answer.status >= 300 && answer.status < 400
}

/** A refused request: 4xx, or a redirect that carries an OAuth error to the client. */
export function isRejected(answer: Answer): boolean {
  if (answer.status >= 400 && answer.status < 500) return true
  const location = answer.headers.get('Location')
  if (!isRedirect(answer) || location === null) return false
  const url = new URL(location, ISSUER)
  return url.searchParams.has('error') || new URLSearchParams(url.hash.slice(1)).has('error')
}

/** Never a 5xx, whatever the request (docs/architecture.md: bad input is a clear standard error). */
export function expectNo5xx(answer: Answer): void {
  if (answer.status >= 500) {
    throw new Error(`answered ${answer.status}: ${answer.body.slice(0, 300)}`)
  }
}

/** True when `location` is `registered` byte for byte, followed only by a query or fragment. */
function extends_(location: string, registered: string): boolean {
  if (!location.startsWith(registered)) return false
  const next = location.charAt(registered.length)
  return next === '' || next === '?' || next === '#' || (registered.includes('?') && next === '&')
}

/** RFC 8252 §7.3: for loopback IP literals any port matches; compare without the port. */
function withoutLoopbackPort(uri: string): string {
  return uri.replace(/^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(?::\d+)?(?=[/?#]|$)/, '$1')
}

/**
 * Where a redirect or an auto-submitted form may send the browser: a URI registered for a client
 * the request names (its redirect or post-logout URIs), or this server itself.
 */
export function expectVerifiedTarget(target: string, allowed: readonly string[]): void {
  const ownPath = target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\')
  if (ownPath || target.startsWith(`${ISSUER}/`)) return
  const ok = allowed.some(
    (uri) =>
      extends_(target, uri) || extends_(withoutLoopbackPort(target), withoutLoopbackPort(uri)),
  )
  if (!ok) throw new Error(`sent to an unverified URI ${target}; allowed: ${allowed.join(' ')}`)
}

/** The Location of a redirect, and the action of a form-post page, are verified targets. */
export function expectVerifiedRedirects(answer: Answer, allowed: readonly string[]): void {
  const location = answer.headers.get('Location')
  if (location !== null) expectVerifiedTarget(location, allowed)
  if (answer.headers.get('Content-Type')?.startsWith('text/html')) {
    for (const match of answer.body.matchAll(/<form[^>]*\baction="([^"]*)"/g)) {
      expectVerifiedTarget(unescapeHtml(match[1] ?? ''), allowed)
    }
  }
}

function unescapeHtml(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
}

/**
 * No hostile markup comes back unescaped in a body a browser would render: anything but JSON
 * (JSON answers carry `X-Content-Type-Options: nosniff` and are data; a name an administrator
 * chose comes back in them as sent).
 */
export function expectNoReflectedScript(answer: Answer): void {
  const type = answer.headers.get('Content-Type') ?? ''
  if (/^application\/([\w.+-]*\+)?json\b/.test(type)) {
    expect(answer.headers.get('X-Content-Type-Options')).toBe('nosniff')
    return
  }
  const body = answer.body.replaceAll(OWN_SCRIPT, '')
  for (const marker of INJECTED) {
    if (marker.test(body)) {
      throw new Error(`reflected ${marker}: ${excerpt(body, marker)}`)
    }
  }
}

function excerpt(body: string, marker: RegExp): string {
  const at = body.search(marker)
  return body.slice(Math.max(0, at - 80), at + 80)
}

/** RFC 6749 §5.2 JSON: a registered `error`, a wire-safe description, never cached. */
export function expectOAuthJson(answer: Answer): void {
  expect(answer.headers.get('Content-Type'), answer.body).toMatch(/^application\/json\b/)
  const json = JSON.parse(answer.body) as { error?: unknown; error_description?: unknown }
  expect(REGISTERED_ERRORS.has(String(json.error)), `unregistered error ${answer.body}`).toBe(true)
  if (json.error_description !== undefined) {
    expect(typeof json.error_description).toBe('string')
    expect(WIRE_SAFE.test(String(json.error_description)), answer.body).toBe(true)
  }
  expect(answer.headers.get('Cache-Control')).toBe('no-store')
}

/** RFC 6750 §3: a 401 from a protected resource carries a Bearer (or DPoP) challenge. */
export function expectBearerChallenge(answer: Answer): void {
  if (answer.status !== 401) return
  expect(answer.headers.get('WWW-Authenticate'), answer.body).toMatch(/^(Bearer|DPoP)\b/)
}

/** RFC 9457 problem details with type, title and status equal to the answer's. */
export function expectProblem(answer: Answer): void {
  expect(answer.headers.get('Content-Type'), answer.body).toMatch(/^application\/problem\+json\b/)
  const problem = JSON.parse(answer.body) as { type?: unknown; title?: unknown; status?: unknown }
  expect(typeof problem.type, answer.body).toBe('string')
  expect(typeof problem.title, answer.body).toBe('string')
  expect(problem.status, answer.body).toBe(answer.status)
}

/**
 * The accessible error page of the browser endpoints (views/layout.tsx): HTML with a heading in
 * a main landmark, its own Content-Security-Policy, never framed, never cached.
 */
export function expectErrorPage(answer: Answer): void {
  expect(answer.headers.get('Content-Type'), answer.body.slice(0, 200)).toMatch(/^text\/html\b/)
  // A HEAD answer has the page's headers and no body.
  if (answer.method !== 'HEAD') expect(answer.body).toMatch(/<main>\s*<h1>/)
  expect(answer.headers.get('Content-Security-Policy')).toMatch(/frame-ancestors 'none'/)
  expect(answer.headers.get('Cache-Control')).toBe('no-store')
}

/** A browser endpoint's answer: a page (error or form), or a redirect to a verified URI. */
export function expectBrowserAnswer(answer: Answer, allowed: readonly string[]): void {
  if (isRedirect(answer)) {
    expect(answer.status === 302 || answer.status === 303, `status ${answer.status}`).toBe(true)
    expectVerifiedRedirects(answer, allowed)
    return
  }
  expectVerifiedRedirects(answer, allowed)
  if (answer.status >= 400) expectErrorPage(answer)
  else expect(answer.headers.get('Content-Type')).toMatch(/^text\/html\b/)
}
