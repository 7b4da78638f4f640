import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { Db } from '../../worker/src/storage/db'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  exchangeCode,
  responseParams,
  spaRequest,
} from './helpers/browser'
import { createHybridClient, hybridTokens, refresh, type TokenSet } from './helpers/hybrid'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  adminToken,
  api,
  basic,
  d1PrimaryRoundTrips,
  d1ReplicaRoundTrips,
  seedDemoTenant,
  tokenRequest,
} from './helpers/tenant'
import { fetchWorker } from './helpers/worker'

const BOOKMARK = 'Consistency-Bookmark'

let signedIn: Browser

beforeAll(async () => {
  await seedDemoTenant()
  signedIn = new Browser()
  const { query } = await spaRequest()
  await signedIn.authorize(query, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
})

/** Primary and replica round trips of one answer, as `{ primary, replica }`. */
function cost(response: Response) {
  return { primary: d1PrimaryRoundTrips(response), replica: d1ReplicaRoundTrips(response) }
}

/** A fresh code for the signed-in browser, and the verifier that goes with it. */
async function freshCode() {
  const { query, verifier } = await spaRequest()
  const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
  return { code: responseParams(response).get('code') ?? '', verifier }
}

// The table in README.md "Reads near the user" is this one: change both together.
describe('D1 round trips per flow, on the primary and on a read replica', () => {
  it('client_credentials: one primary round trip (client authentication stays on the primary)', async () => {
    const grant = () =>
      tokenRequest(
        { grant_type: 'client_credentials' },
        { Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
      )
    // The first token of an isolate also loads the signing keys; measure a warm one.
    await grant()
    const response = await grant()
    expect(response.status).toBe(200)
    expect(cost(response)).toEqual({ primary: 1, replica: 0 })
  })

  it('authorization-code exchange: two primary round trips (the single-use code stays on the primary)', async () => {
    const { code, verifier } = await freshCode()
    const response = await exchangeCode(code, verifier)
    expect(response.status).toBe(200)
    expect(cost(response)).toEqual({ primary: 2, replica: 0 })
  })

  it('refresh rotation: two primary round trips (authentication, then the single-use rotation)', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const response = await refresh(client, tokens.refresh_token ?? '')
    expect(response.status).toBe(200)
    expect(cost(response)).toEqual({ primary: 2, replica: 0 })
  })

  it('J05 userinfo: one primary round trip, so a revoked access token fails at once', async () => {
    const { code, verifier } = await freshCode()
    const tokens = (await (await exchangeCode(code, verifier)).json()) as TokenSet
    const response = await fetchWorker('/userinfo', {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    })
    expect(response.status).toBe(200)
    expect(cost(response)).toEqual({ primary: 1, replica: 0 })
  })

  it('authorize with a session: the client from a replica, the session and the new code on the primary', async () => {
    const { query } = await spaRequest()
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(303)
    expect(cost(response)).toEqual({ primary: 2, replica: 1 })
  })

  it('authorize without a session: the sign-in page costs one replica round trip and none on the primary', async () => {
    const { query } = await spaRequest()
    const response = await fetchWorker(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBeLessThan(400)
    expect(cost(response)).toEqual({ primary: 0, replica: 1 })
  })

  it('discovery costs no round trip', async () => {
    const response = await fetchWorker('/.well-known/openid-configuration')
    expect(response.status).toBe(200)
    expect(cost(response)).toEqual({ primary: 0, replica: 0 })
  })

  it('JWKS: KV first; without a KV copy, the published keys come from a replica', async () => {
    await fetchWorker('/.well-known/jwks.json')
    const cached = await fetchWorker('/.well-known/jwks.json')
    expect(cost(cached)).toEqual({ primary: 0, replica: 0 })
    await env.CACHE.delete('jwks:v1')
    const uncached = await fetchWorker('/.well-known/jwks.json')
    expect(uncached.status).toBe(200)
    expect(((await uncached.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0)
    expect(cost(uncached)).toEqual({ primary: 0, replica: 1 })
  })

  it('management read: the administrator token checked on the primary, the page read from a replica', async () => {
    const token = await adminToken()
    const response = await api(token, 'GET', '/roles')
    expect(response.status).toBe(200)
    expect(cost(response)).toEqual({ primary: 1, replica: 1 })
  })

  it('management write: everything on the primary', async () => {
    const token = await adminToken()
    const response = await api(token, 'POST', '/roles', { name: `role ${crypto.randomUUID()}` })
    expect(response.status).toBe(201)
    expect(d1ReplicaRoundTrips(response)).toBe(0)
  })
})

describe('management API: read-your-writes through the Consistency-Bookmark header', () => {
  it('answers a write with the bookmark of the write, and exposes it to browsers (CORS)', async () => {
    const token = await adminToken()
    const response = await api(token, 'POST', '/roles', { name: `role ${crypto.randomUUID()}` })
    expect(response.status).toBe(201)
    expect(response.headers.get(BOOKMARK)).toMatch(/^[0-9a-f]+(-[0-9a-f]+)+$/)
    const preflight = await fetchWorker('/api/v1/tenants/x/roles', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://portal.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization, consistency-bookmark',
      },
    })
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toContain(BOOKMARK)
    const cors = await fetchWorker(`/api/v1/tenants/${env.DEMO_TENANT_ID}/roles`, {
      headers: { Authorization: `Bearer ${token}`, Origin: 'https://portal.example' },
    })
    expect(cors.headers.get('Access-Control-Expose-Headers')).toContain(BOOKMARK)
  })

  it('reads the written role from the replica when the bookmark comes back, and answers a bookmark no older', async () => {
    const token = await adminToken()
    const created = await api(token, 'POST', '/roles', { name: `role ${crypto.randomUUID()}` })
    const { id } = (await created.json()) as { id: string }
    const written = created.headers.get(BOOKMARK) ?? ''
    const read = await fetchWorker(`/api/v1/tenants/${env.DEMO_TENANT_ID}/roles/${id}`, {
      headers: { Authorization: `Bearer ${token}`, [BOOKMARK]: written },
    })
    expect(read.status).toBe(200)
    expect(d1ReplicaRoundTrips(read)).toBe(1)
    expect((read.headers.get(BOOKMARK) ?? '') >= written).toBe(true)
  })

  it('ignores a malformed bookmark instead of failing the request', async () => {
    const token = await adminToken()
    const read = await fetchWorker(`/api/v1/tenants/${env.DEMO_TENANT_ID}/roles`, {
      headers: { Authorization: `Bearer ${token}`, [BOOKMARK]: "'; DROP TABLE roles; --" },
    })
    expect(read.status).toBe(200)
  })
})

describe('Db: primary and replica handles', () => {
  it('reports the bookmark after a write on the primary, and a replica anchored there sees the write', async () => {
    const primary = new Db(env.DB)
    expect(primary.bookmark()).toBeNull()
    const id = crypto.randomUUID()
    await primary.run(
      "INSERT INTO roles (id, tenant_id, name, description, created_at, updated_at) VALUES (?1, ?2, ?1, '', 0, 0)",
      id,
      env.DEMO_TENANT_ID,
    )
    const bookmark = primary.bookmark()
    expect(bookmark).not.toBeNull()
    const replica = new Db(env.DB, { role: 'replica', bookmark: bookmark ?? undefined })
    expect(await replica.first('SELECT id FROM roles WHERE id = ?1', id)).toEqual({ id })
    expect(replica.role).toBe('replica')
    expect(replica.roundTrips).toBe(1)
    expect((replica.bookmark() ?? '') >= (bookmark ?? '')).toBe(true)
  })
})
