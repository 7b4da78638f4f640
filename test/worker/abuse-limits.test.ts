import { beforeAll, describe, expect, it } from 'vitest'
import {
  adminToken,
  basic,
  readProblem,
  seedDemoTenant,
  TENANT_ID,
  tokenRequest,
} from './helpers/tenant'
import { testApp } from './helpers/worker'

beforeAll(seedDemoTenant)

/** wrangler.toml `[[ratelimits]]`: API_REQUESTS and AUTHORIZE_REQUESTS allow 300 per 60 s. */
const LIMIT = 300
const PERIOD_MS = 60_000

const randomHextet = () => Math.floor(Math.random() * 0xffff).toString(16)

/**
 * Runs `attempt` (which must use fresh limiter keys) inside one window of the limiters: they
 * count in fixed windows of their period, so a run that crossed a window's end (with a margin)
 * is run again, in the window that just began. Answers the last run's result.
 */
async function inOneWindow<T>(attempt: () => Promise<T>): Promise<T> {
  const windowOf = (ms: number) => Math.floor(ms / PERIOD_MS)
  for (let run = 1; ; run++) {
    const started = Date.now()
    const result = await attempt()
    if (windowOf(started - 1000) === windowOf(Date.now() + 1000) || run === 3) return result
  }
}

/** Sends `LIMIT` requests, 30 at a time, then one more; answers the statuses and that last one. */
async function pastTheLimit(send: () => Promise<Response>) {
  const statuses: number[] = []
  for (let sent = 0; sent < LIMIT; sent += 30) {
    const batch = await Promise.all(Array.from({ length: Math.min(30, LIMIT - sent) }, send))
    for (const response of batch) {
      statuses.push(response.status)
      await response.body?.cancel()
    }
  }
  return { statuses, last: await send() }
}

// The app over the test bindings, in this isolate: hundreds of requests through the entry point
// (exports.default.fetch) get slower with each one, these stay fast.
const { request } = testApp()

function authorize(ip: string): Promise<Response> {
  return request('/authorize', { headers: { 'CF-Connecting-IP': ip } })
}

function listRoles(token: string): Promise<Response> {
  return request(`/api/v1/tenants/${TENANT_ID}/roles`, {
    headers: { Authorization: `Bearer ${token}` },
  })
}

describe('abuse limits', () => {
  it('limits management API requests per bearer token: a 429 problem with Retry-After (RFC 6585 §4, RFC 9457)', async () => {
    const { statuses, last } = await inOneWindow(async () => {
      const token = await adminToken()
      return pastTheLimit(() => listRoles(token))
    })
    expect(statuses.every((status) => status === 200)).toBe(true)
    expect(last.status).toBe(429)
    expect(Number(last.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await readProblem(last)).toMatchObject({
      type: 'urn:edge-identity:problem:too-many-requests',
      status: 429,
    })
    // Per token: another token of the same client is not affected.
    expect((await listRoles(await adminToken())).status).toBe(200)
  }, 60_000)

  it('limits authorization requests per address, IPv6 per /64: 429 with Retry-After, no redirect (RFC 6585 §4)', async () => {
    let network = ''
    const { statuses, last } = await inOneWindow(() => {
      network = `2001:db8:${randomHextet()}:${randomHextet()}`
      let host = 0
      // Each request from another address of the /64, as a client that holds it can send.
      return pastTheLimit(() => authorize(`${network}::${(++host).toString(16)}`))
    })
    expect(statuses.includes(429)).toBe(false)
    expect(last.status).toBe(429)
    expect(Number(last.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(last.headers.get('Location')).toBeNull()
    expect((await authorize(`${network}:ffff::1`)).status).toBe(429)
    expect((await authorize(`${network}1::1`)).status).not.toBe(429)
  }, 60_000)

  it('D08 limits failed authentications of one client id from many addresses: 429 invalid_client with Retry-After', async () => {
    const clientId = crypto.randomUUID()
    const statuses: number[] = []
    let last = new Response()
    for (let i = 0; i < 11; i++) {
      last = await tokenRequest(
        { grant_type: 'client_credentials' },
        { Authorization: basic(clientId, 'wrong'), 'CF-Connecting-IP': `192.0.2.${i + 1}` },
      )
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(last.status).toBe(429)
    expect(Number(last.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(((await last.json()) as { error: string }).error).toBe('invalid_client')
  })

  it('D08 limits failed client authentications per address across client ids: 429 with Retry-After', async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 256)}`
    const statuses: number[] = []
    let last = new Response()
    for (let i = 0; i < 11; i++) {
      last = await tokenRequest(
        { grant_type: 'client_credentials' },
        { Authorization: basic(crypto.randomUUID(), 'wrong'), 'CF-Connecting-IP': ip },
      )
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(last.status).toBe(429)
    expect(Number(last.headers.get('Retry-After'))).toBeGreaterThan(0)
  })
})
