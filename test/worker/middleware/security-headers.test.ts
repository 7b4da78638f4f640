import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { securityHeaders } from '../../../worker/src/middleware/security-headers'
import { fetchWorker } from '../helpers/worker'

const DEFAULT_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

/** A bare app behind the middleware, with routes that set headers of their own. */
function appBehind(https: boolean) {
  const app = new Hono()
  app.use(securityHeaders(https))
  app.get('/json', (c) => c.json({ ok: true }))
  app.get('/own', (c) =>
    c.json({ ok: true }, 200, {
      'Referrer-Policy': 'origin',
      'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'",
    }),
  )
  app.get('/framed', (c) =>
    c.html('<p>hi</p>', 200, {
      'Content-Security-Policy': "default-src 'none'; frame-ancestors https://app.example",
    }),
  )
  return app
}

describe('security headers on every response', () => {
  it('gives a JSON answer no framing, no Referer, no sniffing and a policy that loads nothing (RFC 9700 §4.16, §4.2.4)', async () => {
    const response = await fetchWorker('/.well-known/openid-configuration')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Security-Policy')).toBe(DEFAULT_POLICY)
    expect(response.headers.get('X-Frame-Options')).toBe('DENY')
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    // The test issuer is http: no HSTS, which a browser would ignore there anyway.
    expect(response.headers.get('Strict-Transport-Security')).toBeNull()
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBeNull()
  })

  it('adds Strict-Transport-Security when the issuer is https', async () => {
    const response = await appBehind(true).request('/json')
    expect(response.headers.get('Strict-Transport-Security')).toBe(
      'max-age=63072000; includeSubDomains',
    )
    expect(response.headers.get('Content-Security-Policy')).toBe(DEFAULT_POLICY)
  })

  it("keeps the handler's own Content-Security-Policy, and X-Frame-Options when it forbids framing", async () => {
    const response = await appBehind(false).request('/own')
    expect(response.headers.get('Content-Security-Policy')).toBe(
      "default-src 'self'; frame-ancestors 'none'",
    )
    expect(response.headers.get('X-Frame-Options')).toBe('DENY')
  })

  it('sends no-referrer and nosniff whatever the handler set: they are the same on every response', async () => {
    const response = await appBehind(false).request('/own')
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  it('sends no X-Frame-Options: DENY with a policy that names a framing origin', async () => {
    const response = await appBehind(false).request('/framed')
    expect(response.headers.get('X-Frame-Options')).toBeNull()
    expect(response.headers.get('Content-Security-Policy')).toContain(
      'frame-ancestors https://app.example',
    )
  })
})
