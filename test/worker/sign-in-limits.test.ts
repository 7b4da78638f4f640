import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { failureKeys } from '../../worker/src/storage/auth-failures'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  createUser,
  hiddenFields,
  setCookies,
  spaRequest,
} from './helpers/browser'
import { seedDemoTenant, TENANT_ID } from './helpers/tenant'

beforeAll(seedDemoTenant)

const PASSWORD = 'the right password 123'

/** A browser at `ip` on the sign-in page of a fresh authorization request, ready to post. */
async function signInForm(ip: string) {
  const browser = new Browser(ip)
  const { query } = await spaRequest()
  const page = await browser.fetch(`/authorize?${new URLSearchParams(query)}`)
  const fields = hiddenFields(await page.text())
  return (credentials: { email: string; password: string }) =>
    browser.postForm('/signin', { ...fields, ...credentials })
}

async function signIn(ip: string, email: string, password: string): Promise<Response> {
  return (await signInForm(ip))({ email, password })
}

function hasSession(response: Response): boolean {
  return setCookies(response).some(
    (cookie) => cookie.startsWith('__Host-session=') && !/=;/.test(cookie),
  )
}

async function failures(key: string): Promise<number | null> {
  const row = await env.DB.prepare('SELECT failures FROM auth_failures WHERE key = ?1')
    .bind(key)
    .first<{ failures: number }>()
  return row?.failures ?? null
}

const randomByte = () => Math.floor(Math.random() * 256)

describe('sign-in limits', () => {
  it('N02 evaluates at most 5 of 20 concurrent wrong guesses for one account from one address; the rest get 429 with Retry-After', async () => {
    const email = `concurrent-${crypto.randomUUID()}@demo.example`
    await createUser(email, PASSWORD)
    const ip = `198.51.100.${randomByte()}`
    const forms = await Promise.all(Array.from({ length: 20 }, () => signInForm(ip)))
    const responses = await Promise.all(
      forms.map((post, i) => post({ email, password: `guess ${i}` })),
    )
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 400)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(15)
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
    }
    // The counter took exactly the 5 guesses that were checked, no more.
    expect(await failures(failureKeys.accountFrom(TENANT_ID, email, ip))).toBe(5)
  })

  it('N02 gives no session to the right password from an address past its limit for the account', async () => {
    const email = `past-limit-${crypto.randomUUID()}@demo.example`
    await createUser(email, PASSWORD)
    const ip = `198.51.100.${randomByte()}`
    for (let i = 0; i < 5; i++) expect((await signIn(ip, email, 'wrong')).status).toBe(400)
    const right = await signIn(ip, email, PASSWORD)
    expect(right.status).toBe(429)
    expect(right.headers.get('Location')).toBeNull()
    expect(hasSession(right)).toBe(false)
  })

  it('N02 gives no session to the right password from an address past its limit across accounts', async () => {
    const ip = `203.0.113.${randomByte()}`
    for (let i = 0; i < 20; i++) {
      expect((await signIn(ip, `spray-${i}-${crypto.randomUUID()}@demo.example`, 'x')).status).toBe(
        400,
      )
    }
    const right = await signIn(ip, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(right.status).toBe(429)
    expect(Number(right.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(hasSession(right)).toBe(false)
    // The administrator is not locked out: from another address the same password works.
    const elsewhere = await signIn(`192.0.2.${randomByte()}`, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(elsewhere.status).toBe(303)
    expect(hasSession(elsewhere)).toBe(true)
  })

  it('N02 counts IPv6 addresses of one /64 together, and another /64 apart', async () => {
    const email = `ipv6-${crypto.randomUUID()}@demo.example`
    await createUser(email, PASSWORD)
    const network = `2001:db8:${randomByte().toString(16)}:${randomByte().toString(16)}`
    for (let i = 0; i < 5; i++) {
      // Each guess from another address of the same /64, as an attacker who holds it would.
      expect((await signIn(`${network}:${i}::${i + 1}`, email, 'wrong')).status).toBe(400)
    }
    expect((await signIn(`${network}::ffff`, email, PASSWORD)).status).toBe(429)
    expect((await signIn(`${network}1::1`, email, PASSWORD)).status).toBe(303)
  })

  it('N02 counts each IPv4 address apart, even within one /24', async () => {
    const email = `ipv4-${crypto.randomUUID()}@demo.example`
    await createUser(email, PASSWORD)
    const network = `198.18.${randomByte()}`
    for (let i = 0; i < 5; i++)
      expect((await signIn(`${network}.1`, email, 'wrong')).status).toBe(400)
    expect((await signIn(`${network}.1`, email, PASSWORD)).status).toBe(429)
    expect((await signIn(`${network}.2`, email, PASSWORD)).status).toBe(303)
  })
})
