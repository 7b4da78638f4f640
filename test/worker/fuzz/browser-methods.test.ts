import { describe, expect, it } from 'vitest'
import { answer } from './harness'
import { expectErrorPage } from './invariants'

/**
 * Found by the fuzz suite (wrong methods on the browser endpoints): a method a browser page
 * route does not serve falls through to the app's not-found handler and is answered
 * `404 application/problem+json` ("No resource at /authorize"), the management API's format,
 * although the resource exists. Expected: the endpoint's own format, the accessible error page
 * (text/html), with 405 and an `Allow` header naming the methods it serves (RFC 9110 §15.5.6).
 * The fuzz properties send these methods too but assert the page only for GET and POST.
 */
const CASES = [
  ['PUT', '/authorize', 'GET, POST'],
  ['DELETE', '/authorize', 'GET, POST'],
  ['GET', '/signin', 'POST'],
  ['PUT', '/signin', 'POST'],
  ['PUT', '/end_session', 'GET, POST'],
  ['PATCH', '/end_session', 'GET, POST'],
  ['PUT', '/account/set-password', 'GET, POST'],
  ['DELETE', '/account/set-password', 'GET, POST'],
  ['GET', '/authorize/consent', 'POST'],
  ['PUT', '/authorize/consent', 'POST'],
  ['GET', '/account/consents/withdraw', 'POST'],
  ['DELETE', '/account/consents/withdraw', 'POST'],
] as const

/** The dynamic registration endpoints (RFC 7591, RFC 7592) are JSON APIs, not browser pages. */
const REGISTRATION_CASES = [
  ['GET', '/register', 'POST'],
  ['PUT', '/register', 'POST'],
  ['PUT', '/register/some-client', 'GET, DELETE'],
  ['POST', '/register/some-client', 'GET, DELETE'],
] as const

describe('browser endpoints answer an unsupported method with a 405 error page (found by fuzzing)', () => {
  it.each(CASES)(
    'answers %s %s with a 405 error page that names %s',
    async (method, path, allow) => {
      const result = await answer(path, { method })
      expect(result.status).toBe(405)
      expect(result.headers.get('Allow')).toBe(allow)
      expectErrorPage(result)
    },
  )

  it.each(REGISTRATION_CASES)(
    'answers %s %s with 405, an Allow header naming %s, and a JSON error (RFC 7591 §3.2.2)',
    async (method, path, allow) => {
      const result = await answer(path, { method })
      expect(result.status).toBe(405)
      expect(result.headers.get('Allow')).toBe(allow)
      expect(result.headers.get('Content-Type')).toMatch(/^application\/json/)
    },
  )
})
