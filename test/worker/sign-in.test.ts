import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../worker/src/crypto/hash'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  createUser,
  hiddenFields,
  responseParams,
  setCookies,
  spaRequest,
} from './helpers/browser'
import { seedDemoTenant } from './helpers/tenant'
import { ISSUER } from './helpers/worker'

beforeAll(seedDemoTenant)

async function signInPage(browser = new Browser(), overrides: Record<string, string> = {}) {
  const { query } = await spaRequest(overrides)
  const response = await browser.fetch(`/authorize?${new URLSearchParams(query)}`)
  return { response, html: await response.text(), browser, query }
}

describe('sign-in page', () => {
  it('has labelled Email and Password inputs, a Sign in button and the application name', async () => {
    const { response, html } = await signInPage()
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(html).toMatch(/<label>\s*Email\s*<input type="email" name="email"/)
    expect(html).toMatch(/<label>\s*Password\s*<input type="password" name="password"/)
    expect(html).toContain('<button type="submit">Sign in</button>')
    expect(html).toContain('to continue to Demo SPA and clients portal')
    expect(html).toContain('autocomplete="current-password"')
  })

  it('A12 A14 cannot be framed, sends no Referer and loads nothing from another site', async () => {
    const { response, html } = await signInPage()
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    expect(response.headers.get('Content-Security-Policy')).toContain("style-src 'self'")
    // form-action also governs the redirect the sign-in POST ends in: the app's verified origin.
    expect(response.headers.get('Content-Security-Policy')).toContain(
      "form-action 'self' http://localhost:5173;",
    )
    expect(response.headers.get('X-Frame-Options')).toBe('DENY')
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(html).not.toMatch(/(src|href)="https?:/)
    // The one script is the same-origin passkeys script (issue 16); never inline script.
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/assets/passkeys.js" defer="">'])
    expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self';")
    expect(response.headers.get('Content-Security-Policy')).not.toContain('unsafe-inline')
  })

  it('A15 escapes reflected values (login_hint "><script>)', async () => {
    const { html } = await signInPage(new Browser(), { login_hint: '"><script>alert(1)</script>' })
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&quot;&gt;&lt;script&gt;')
  })

  it('A13 answers a successful sign-in with a 303 to the application, with a __Host- session cookie', async () => {
    const browser = new Browser()
    const { query } = await spaRequest()
    const response = await browser.authorize(query, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    })
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toMatch(/^http:\/\/localhost:5173\/callback\?code=/)
    const cookie = setCookies(response).find((c) => c.startsWith('__Host-session='))
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; SameSite=None/)
    expect(cookie).not.toMatch(/Domain=/i)
  })

  it('C07 stores the session only as a hash of its cookie', async () => {
    const browser = new Browser()
    const { query } = await spaRequest()
    await browser.authorize(query, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
    const secret = browser.cookies.get('__Host-session') ?? ''
    const rows = await env.DB.prepare('SELECT * FROM sessions').all()
    expect(JSON.stringify(rows.results)).not.toContain(secret)
    const row = await env.DB.prepare('SELECT id FROM sessions WHERE secret_hash = ?1')
      .bind(await sha256(secret))
      .first()
    expect(row).not.toBeNull()
  })

  it('answers a wrong password and an unknown email identically (no user enumeration)', async () => {
    const attempts = await Promise.all(
      [
        { email: ADMIN_EMAIL, password: 'not the password' },
        { email: `nobody-${crypto.randomUUID()}@demo.example`, password: 'not the password' },
      ].map(async (credentials) => {
        const browser = new Browser()
        const { query } = await spaRequest()
        const response = await browser.authorize(query, credentials)
        const html = await response.text()
        return {
          status: response.status,
          message: /<p class="alert" role="alert"[^>]*>([^<]*)</.exec(html)?.[1],
        }
      }),
    )
    expect(attempts[0]).toEqual({ status: 400, message: 'The email or password is incorrect.' })
    expect(attempts[1]).toEqual(attempts[0])
  })

  it('keeps the email, shows the error in an alert the inputs point to', async () => {
    const browser = new Browser()
    const { query } = await spaRequest()
    const response = await browser.authorize(query, {
      email: ADMIN_EMAIL,
      password: 'wrong password',
    })
    const html = await response.text()
    expect(html).toContain(`value="${ADMIN_EMAIL}"`)
    expect(html).toContain('aria-describedby="sign-in-error"')
    expect(html).toContain('aria-invalid="true"')
  })

  it('throttles the 6th rapid failure of an account from one address with 429 and Retry-After, even for the right password', async () => {
    const email = `throttled-${crypto.randomUUID()}@demo.example`
    await createUser(email, 'the right password 123')
    const ip = '198.51.100.77'
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const { query } = await spaRequest()
      const response = await new Browser(ip).authorize(query, { email, password: `wrong ${i}` })
      statuses.push(response.status)
      if (i === 5) {
        expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
        expect(await response.text()).toContain('Too many attempts')
      }
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
    const { query } = await spaRequest()
    const right = await new Browser(ip).authorize(query, {
      email,
      password: 'the right password 123',
    })
    expect(right.status).toBe(429)
    // Nobody can lock the user out: from the user's own address, sign-in still works.
    const own = await spaRequest()
    expect(
      (
        await new Browser('192.0.2.20').authorize(own.query, {
          email,
          password: 'the right password 123',
        })
      ).status,
    ).toBe(303)
  })

  it('throttles an unknown email exactly like a known one', async () => {
    const email = `ghost-${crypto.randomUUID()}@demo.example`
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const { query } = await spaRequest()
      statuses.push(
        (await new Browser('198.51.100.78').authorize(query, { email, password: 'whatever' }))
          .status,
      )
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
  })

  it('rate limits failed sign-ins per address across accounts', async () => {
    const ip = '203.0.113.99'
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      const { query } = await spaRequest()
      const response = await new Browser(ip).authorize(query, {
        email: `spray-${i}@demo.example`,
        password: 'x',
      })
      statuses.push(response.status)
    }
    expect(statuses.slice(0, 20).every((status) => status === 400)).toBe(true)
    expect(statuses[20]).toBe(429)
  })

  it('refuses a sign-in form posted from another site (CSRF) with 403', async () => {
    const { html, browser } = await signInPage()
    const fields = { ...hiddenFields(html), email: ADMIN_EMAIL, password: ADMIN_PASSWORD }
    const foreign = await browser.fetch('/signin', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://evil.example',
      },
      body: new URLSearchParams(fields).toString(),
    })
    expect(foreign.status).toBe(403)
    const withoutCookie = await new Browser().postForm('/signin', fields)
    expect(withoutCookie.status).toBe(403)
  })

  it('accepts the Origin: null a no-referrer page sends, when Fetch Metadata says same-origin', async () => {
    const { html, browser } = await signInPage()
    const fields = { ...hiddenFields(html), email: ADMIN_EMAIL, password: ADMIN_PASSWORD }
    const post = (site: string) =>
      browser.fetch('/signin', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'null',
          'Sec-Fetch-Site': site,
        },
        body: new URLSearchParams(fields).toString(),
      })
    expect((await post('cross-site')).status).toBe(403)
    expect((await post('same-origin')).status).toBe(303)
  })

  it.each([
    ['malformed multipart/form-data', 'multipart/form-data; boundary=x', 415],
    ['another charset', 'application/x-www-form-urlencoded; charset=iso-8859-1', 415],
  ])(
    'N07 answers a sign-in form sent as %s with a 4xx error page, and starts no session',
    async (_, contentType, status) => {
      const { html, browser } = await signInPage()
      const fields: Record<string, string> = {
        ...hiddenFields(html),
        email: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
      }
      const response = await browser.fetch('/signin', {
        method: 'POST',
        headers: { 'Content-Type': contentType, Origin: ISSUER },
        body: contentType.startsWith('multipart')
          ? `--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${fields.csrf}`
          : new URLSearchParams(fields).toString(),
      })
      expect(response.status).toBe(status)
      expect(response.headers.get('Location')).toBeNull()
      expect(await response.text()).toContain('role="alert"')
      expect(setCookies(response).some((c) => c.startsWith('__Host-session='))).toBe(false)
      // The form still works: nothing was counted or consumed.
      expect((await browser.postForm('/signin', fields)).status).toBe(303)
    },
  )

  it('refuses a tampered or expired pending request', async () => {
    const { html, browser } = await signInPage()
    const fields = hiddenFields(html)
    const tampered = await browser.postForm('/signin', {
      ...fields,
      interaction: `${fields.interaction}x`,
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    })
    expect(tampered.status).toBe(400)
    expect(await tampered.text()).toContain('Sign-in expired')
  })

  it("stops a disabled user's session on the next request", async () => {
    const email = `disabled-${crypto.randomUUID()}@demo.example`
    const userId = await createUser(email, 'a good password 42')
    const browser = new Browser()
    const first = await spaRequest()
    expect(
      (await browser.authorize(first.query, { email, password: 'a good password 42' })).status,
    ).toBe(303)
    const silent = await spaRequest({ prompt: 'none' })
    expect(responseParams(await browser.authorize(silent.query)).get('code')).toBeTruthy()
    await env.DB.prepare('UPDATE users SET enabled = 0 WHERE id = ?1').bind(userId).run()
    const after = await spaRequest({ prompt: 'none' })
    const params = responseParams(await browser.authorize(after.query))
    expect(params.get('error')).toBe('login_required')
    expect(params.get('iss')).toBe(ISSUER)
  })
})
