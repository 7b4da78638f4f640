import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../../worker/src/crypto/hash'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  responseParams,
  SPA_CLIENT_ID,
  SPA_REDIRECT,
  spaRequest,
} from '../helpers/browser'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  adminToken,
  basic,
  seedDemoTenant,
  TENANT_ID,
} from '../helpers/tenant'
import { faultyApp } from './bindings'

let signedIn: Browser

beforeAll(async () => {
  await seedDemoTenant()
  signedIn = new Browser()
  const { query } = await spaRequest()
  await signedIn.authorize(query, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
})

const clientCredentials = {
  method: 'POST',
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
  },
  body: 'grant_type=client_credentials',
}

/** Asserts an RFC 6749 §5.2 temporarily_unavailable answer with Retry-After. */
async function expectUnavailableJson(response: Response) {
  expect(response.status).toBe(503)
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
  expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' })
}

function redeem(request: ReturnType<typeof faultyApp>['request'], code: string, verifier: string) {
  return request('/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: SPA_REDIRECT,
      client_id: SPA_CLIENT_ID,
      code_verifier: verifier,
    }).toString(),
  })
}

describe('D1 unavailable: 503 temporarily_unavailable, then recovery (RFC 6749 §5.2)', () => {
  it('answers the token endpoint with 503 JSON and Retry-After while D1 rejects, and 200 once it answers', async () => {
    const { request, faults } = faultyApp()
    faults.d1 = 'reject'
    await expectUnavailableJson(await request('/token', clientCredentials))

    faults.heal()
    const recovered = await request('/token', clientCredentials)
    expect(recovered.status).toBe(200)
    expect(await recovered.json()).toMatchObject({ token_type: 'Bearer' })
  })

  it('gives up on a D1 round trip that never answers at its deadline, with 503 and Retry-After', async () => {
    const { request, faults } = faultyApp()
    faults.d1 = 'stall'
    await expectUnavailableJson(await request('/token', clientCredentials))

    faults.heal()
    expect((await request('/token', clientCredentials)).status).toBe(200)
  }, 20_000)

  it('answers the management API with a 503 problem and Retry-After, and serves it again after recovery (RFC 9457)', async () => {
    const { request, faults } = faultyApp()
    const token = await adminToken()
    const users = () =>
      request(`/api/v1/tenants/${TENANT_ID}/users`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    // This isolate has read the public keys once (it keeps them a minute), as a busy one has.
    expect((await users()).status).toBe(200)

    faults.d1 = 'reject'
    const response = await users()
    expect(response.status).toBe(503)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await response.json()).toMatchObject({
      type: 'urn:edge-identity:problem:temporarily-unavailable',
      status: 503,
    })

    faults.heal()
    expect((await users()).status).toBe(200)
  })

  it('answers /authorize with 503 temporarily_unavailable, never a 500, while D1 rejects (RFC 6749 §4.1.2.1)', async () => {
    const { request, faults } = faultyApp()
    const { query } = await spaRequest()
    faults.d1 = 'reject'
    const response = await request(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(503)
    expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
    // A person is looking at it: the accessible error page, never a redirect.
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(response.headers.get('Location')).toBeNull()
    expect(await response.text()).toContain('Something went wrong')

    faults.heal()
    // Recovered: no session cookie here, so the sign-in page.
    expect((await request(`/authorize?${new URLSearchParams(query)}`)).status).toBe(200)
  })

  it('M01 leaves a code unconsumed when the redemption batch fails, and redeems it once D1 answers', async () => {
    const { request, faults } = faultyApp()
    const { query, verifier } = await spaRequest()
    const code = responseParams(
      await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`),
    ).get('code')
    expect(code).toEqual(expect.any(String))
    const codeHash = await sha256(code ?? '')

    faults.d1Batch = 'reject'
    await expectUnavailableJson(await redeem(request, code ?? '', verifier))
    expect(faults.refusedBatches).toBeGreaterThan(0)
    // Nothing half-written: the code is still unconsumed and its grant does not exist.
    const row = await env.DB.prepare(
      'SELECT consumed_at, grant_id FROM authorization_codes WHERE code_hash = ?1',
    )
      .bind(codeHash)
      .first<{ consumed_at: number | null; grant_id: string }>()
    expect(row?.consumed_at).toBeNull()
    const grant = await env.DB.prepare('SELECT id FROM grants WHERE id = ?1')
      .bind(row?.grant_id)
      .first()
    expect(grant).toBeNull()

    faults.heal()
    const recovered = await redeem(request, code ?? '', verifier)
    expect(recovered.status).toBe(200)
    expect(await recovered.json()).toMatchObject({ token_type: 'Bearer' })
  })
})
