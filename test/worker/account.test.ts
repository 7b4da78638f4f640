import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../worker/src/crypto/hash'
import { verifyPassword } from '../../worker/src/crypto/password'
import { randomToken } from '../../worker/src/crypto/random'
import { pageCsp } from '../../worker/src/views/layout'
import { adminToken, api, seedDemoTenant, TENANT_ID } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

let admin: string
const PASSWORD = 'tilted orbit lantern 42'
const XSS = '"><script>alert(1)</script>'

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

/** A user created without a password, and the path of their invitation link. */
async function invite(): Promise<{ id: string; email: string; path: string; token: string }> {
  const email = `invitee-${crypto.randomUUID().slice(0, 8)}@example.com`
  const user = (await (await api(admin, 'POST', '/users', { email })).json()) as {
    id: string
    invitationUrl: string
  }
  const url = new URL(user.invitationUrl)
  return {
    id: user.id,
    email,
    path: `${url.pathname}${url.search}`,
    token: url.searchParams.get('token') ?? '',
  }
}

/** Opens the form as a browser would, and keeps what it must send back: the CSRF field and cookie. */
async function openForm(path: string) {
  const response = await fetchWorker(path)
  const html = await response.text()
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? ''
  const cookie = /^(__Host-csrf=[^;]+)/.exec(response.headers.get('Set-Cookie') ?? '')?.[1] ?? ''
  return { response, html, csrf, cookie }
}

/** Posts the form; `headers` replace the browser's (Origin, Cookie) to play an attacker. */
function submit(fields: Record<string, string>, headers: Record<string, string>) {
  return fetchWorker('/account/set-password', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  })
}

/** Opens the invitation and submits it like the user's browser, with `password` twice. */
async function setPassword(path: string, token: string, password = PASSWORD, confirm = password) {
  const form = await openForm(path)
  return submit(
    { token, csrf: form.csrf, password, confirm },
    { Origin: ISSUER, Cookie: form.cookie },
  )
}

/**
 * The headers of a rendered page: its own CSP (a form to this origin, its stylesheet), never
 * framed, no Referer, never cached (checklist A12, A14; RFC 9700 §4.16).
 */
function expectPageHeaders(response: Response) {
  expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
  expect(response.headers.get('Content-Security-Policy')).toBe(pageCsp())
  expect(response.headers.get('X-Frame-Options')).toBe('DENY')
  expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
  expect(response.headers.get('Cache-Control')).toBe('no-store')
}

async function storedHash(userId: string) {
  const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?1')
    .bind(userId)
    .first<{ password_hash: string | null }>()
  return row?.password_hash ?? null
}

describe('set-password page (invitation and reset links)', () => {
  it('renders an accessible form with the page security headers (checklist A12, A14)', async () => {
    const { path } = await invite()
    const { response, html, csrf } = await openForm(path)
    expect(response.status).toBe(200)
    expectPageHeaders(response)
    expect(html).toMatch(
      /<label>New password<input type="password" name="password" autocomplete="new-password"[^>]*aria-describedby="password-policy"/,
    )
    expect(html).toMatch(
      /<label>Confirm password<input type="password" name="confirm" autocomplete="new-password"/,
    )
    expect(html).toContain('<button type="submit">Set password</button>')
    expect(html).toMatch(/<p class="note" id="password-policy">At least 10 characters/)
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)/)
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const cookie = response.headers.get('Set-Cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^__Host-csrf=${csrf};`))
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; SameSite=Lax/)
  })

  it('sets the password through the form and answers 303 to a confirmation (checklist A13)', async () => {
    const { id, path, token } = await invite()
    const response = await setPassword(path, token)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe('/account/password-set')
    const done = await fetchWorker('/account/password-set')
    expect(done.status).toBe(200)
    expectPageHeaders(done)
    expect(await done.text()).toContain('You can now sign in to your application.')
    expect(await verifyPassword(PASSWORD, (await storedHash(id)) ?? '')).toBe(true)
    const user = (await (await api(admin, 'GET', `/users/${id}`)).json()) as {
      hasPassword: boolean
    }
    expect(user.hasPassword).toBe(true)
    const log = (await (await api(admin, 'GET', '/audit-events?count=50')).json()) as {
      items: { action: string; actorType: string; actorId: string; targetId?: string }[]
    }
    expect(
      log.items.find((e) => e.targetId === id && e.action === 'user.password_set'),
    ).toMatchObject({
      actorType: 'user',
      actorId: id,
    })
  })

  it('ends the sessions of the user and revokes their grants in the same transaction', async () => {
    const { id, path, token } = await invite()
    const now = Math.floor(Date.now() / 1000)
    const sessionId = crypto.randomUUID()
    await env.DB.prepare(
      `INSERT INTO sessions (id, secret_hash, tenant_id, user_id, auth_time, created_at,
         last_seen_at, idle_expires_at, expires_at) VALUES (?1, ?1, ?2, ?3, ?4, ?4, ?4, ?5, ?5)`,
    )
      .bind(sessionId, TENANT_ID, id, now, now + 3600)
      .run()
    expect((await setPassword(path, token)).status).toBe(303)
    const session = await env.DB.prepare('SELECT revoked_at FROM sessions WHERE id = ?1')
      .bind(sessionId)
      .first<{ revoked_at: number | null }>()
    expect(session?.revoked_at).toEqual(expect.any(Number))
  })

  it('uses a link once: after success the link shows the same error page as an unknown one', async () => {
    const { path, token } = await invite()
    const form = await openForm(path)
    const browser = { Origin: ISSUER, Cookie: form.cookie }
    const fields = { token, csrf: form.csrf, password: PASSWORD, confirm: PASSWORD }
    expect((await submit(fields, browser)).status).toBe(303)
    const used = await fetchWorker(path)
    expect(used.status).toBe(400)
    const unknown = await fetchWorker(`/account/set-password?token=${randomToken()}`)
    expect(unknown.status).toBe(400)
    // No enumeration: nothing tells a used link from one that never existed (the reference is
    // each request's own id, for support).
    const page = async (response: Response) =>
      (await response.text()).replace(/Reference: [^<]*/, 'Reference: id')
    expect(await page(used)).toBe(await page(unknown))
    const again = 'another passphrase 77'
    expect((await submit({ ...fields, password: again, confirm: again }, browser)).status).toBe(400)
  })

  it('lets exactly one of two concurrent submissions of a link win (consistency contract)', async () => {
    const { id, path, token } = await invite()
    const form = await openForm(path)
    const headers = { Origin: ISSUER, Cookie: form.cookie }
    const passwords = ['first passphrase 1111', 'second passphrase 2222']
    const responses = await Promise.all(
      passwords.map((password) =>
        submit({ token, csrf: form.csrf, password, confirm: password }, headers),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.sort()).toEqual([303, 400])
    const winner = passwords[responses.findIndex((r) => r.status === 303)] ?? ''
    const loser = passwords.find((p) => p !== winner) ?? ''
    const hash = (await storedHash(id)) ?? ''
    expect(await verifyPassword(winner, hash)).toBe(true)
    expect(await verifyPassword(loser, hash)).toBe(false)
  })

  it('refuses an expired link with the same error page', async () => {
    const { path, token } = await invite()
    const form = await openForm(path)
    await env.DB.prepare('UPDATE user_invitations SET expires_at = ?2 WHERE token_hash = ?1')
      .bind(await sha256(token), Math.floor(Date.now() / 1000) - 1)
      .run()
    const expired = await fetchWorker(path)
    expect(expired.status).toBe(400)
    expect(await expired.text()).toContain('has expired')
    const response = await submit(
      { token, csrf: form.csrf, password: PASSWORD, confirm: PASSWORD },
      { Origin: ISSUER, Cookie: form.cookie },
    )
    expect(response.status).toBe(400)
  })

  it.each([
    ['a CSRF field that differs from the cookie', { csrf: randomToken() }, {}],
    ['no CSRF cookie', {}, { Cookie: '' }],
    ['no Origin header', {}, { Origin: '' }],
    ['a foreign Origin', {}, { Origin: 'https://attacker.example' }],
  ])(
    'refuses a submission with %s with a 403 page, and changes nothing (OWASP CSRF)',
    async (_, fields, headers) => {
      const { id, path, token } = await invite()
      const form = await openForm(path)
      const browser: Record<string, string> = { Origin: ISSUER, Cookie: form.cookie, ...headers }
      for (const name of Object.keys(browser)) if (browser[name] === '') delete browser[name]
      const response = await submit(
        { token, csrf: form.csrf, password: PASSWORD, confirm: PASSWORD, ...fields },
        browser,
      )
      expect(response.status).toBe(403)
      expectPageHeaders(response)
      expect(await response.text()).toContain('role="alert"')
      expect(await storedHash(id)).toBeNull()
      expect((await fetchWorker(path)).status).toBe(200) // the link still works
    },
  )

  it.each([
    ['malformed multipart/form-data', 'multipart/form-data; boundary=x', 415],
    ['another charset', 'application/x-www-form-urlencoded; charset=iso-8859-1', 415],
    ['bytes that are not UTF-8', 'application/x-www-form-urlencoded', 400],
  ])(
    'N07 answers a form sent as %s with a 4xx error page, before the CSRF check and any change',
    async (_, contentType, status) => {
      const { id, path, token } = await invite()
      const form = await openForm(path)
      const fields = new URLSearchParams({ token, csrf: form.csrf, password: PASSWORD })
      const response = await fetchWorker('/account/set-password', {
        method: 'POST',
        headers: { 'Content-Type': contentType, Origin: ISSUER, Cookie: form.cookie },
        body: contentType.startsWith('multipart')
          ? '--x\r\nContent-Disposition: form-data; name="token"\r\n\r\nbroken'
          : new Uint8Array([
              ...new TextEncoder().encode(`${fields}&confirm=${encodeURIComponent(PASSWORD)}&x=`),
              ...(status === 400 ? [0xff] : []),
            ]),
        redirect: 'manual',
      })
      expect(response.status).toBe(status)
      expectPageHeaders(response)
      expect(await response.text()).toContain('role="alert"')
      expect(await storedHash(id)).toBeNull()
      expect((await setPassword(path, token)).status).toBe(303) // the link still works
    },
  )

  it.each([
    ['too short', 'short1', 'password', /at least 10 characters/],
    ['common', 'password1234', 'password', /most common passwords/],
    ['not confirmed', PASSWORD, 'confirm', /not the same/],
  ])(
    'shows a %s password as an error tied to its input, and keeps the link usable',
    async (_, password, field, message) => {
      const { id, path, token } = await invite()
      const confirm = field === 'confirm' ? `${password}!` : password
      const response = await setPassword(path, token, password, confirm)
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(/<p class="alert" role="alert" id="form-error">([^<]*)<\/p>/.exec(html)?.[1]).toMatch(
        message,
      )
      const input = new RegExp(`<input type="password" name="${field}"[^>]*>`).exec(html)?.[0] ?? ''
      expect(input).toMatch(/aria-describedby="form-error[" ]/)
      expect(input).toContain('aria-invalid="true"')
      expect(await storedHash(id)).toBeNull()
      expect((await setPassword(path, token)).status).toBe(303)
    },
  )

  it('escapes reflected and stored values (checklist A15)', async () => {
    const reflected = await fetchWorker(`/account/set-password?token=${encodeURIComponent(XSS)}`)
    expect(reflected.status).toBe(400)
    expect(await reflected.text()).not.toContain('<script>')
    // A stored address that the API would refuse, written straight to D1.
    const userId = crypto.randomUUID()
    const token = randomToken()
    const now = Math.floor(Date.now() / 1000)
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO users (id, tenant_id, email, email_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?3, ?4, ?4)`,
      ).bind(userId, TENANT_ID, `${XSS}@example.com`, now),
      env.DB.prepare(
        'INSERT INTO user_invitations (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)',
      ).bind(await sha256(token), userId, now, now + 3600),
    ])
    const page = await fetchWorker(`/account/set-password?token=${token}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).not.toContain('<script>')
    expect(html).toContain('&quot;&gt;&lt;script&gt;')
  })
})
