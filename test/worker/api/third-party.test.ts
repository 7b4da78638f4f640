import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { newClient } from '../../../worker/src/domain/client'
import { insertClient } from '../../../worker/src/storage/clients'
import { adminToken, api, readProblem, seedDemoTenant, TENANT_ID } from '../helpers/tenant'
import { fetchWorker, testDb } from '../helpers/worker'

let admin: string

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

const REDIRECT = 'https://agent.example/callback'
let counter = 0

/** A stored metadata-document client of the demo tenant, as a first fetch leaves it. */
async function storedClient(registration: 'metadata-document' | 'dynamic' = 'metadata-document') {
  const id =
    registration === 'metadata-document'
      ? `https://tp${++counter}.example/client.json`
      : `dyn-${crypto.randomUUID()}`
  const client = newClient(
    {
      id,
      tenantId: TENANT_ID,
      type: 'authorization-code',
      name: 'Agent',
      roleIds: [],
      redirectUris: [REDIRECT],
      thirdParty: {
        registration,
        tokenEndpointAuthMethod: 'none',
        jwksUri: null,
        logoUri: 'https://agent.example/logo.png',
        clientUri: null,
      },
    },
    Math.floor(Date.now() / 1000),
  )
  await insertClient(testDb(), client, undefined)
  return id
}

const clientPath = (id: string) => `/third-party-clients/${encodeURIComponent(id)}`

describe('management API: third-party policy (issue 17)', () => {
  it('answers the default policy: every metadata document host, no dynamic registration', async () => {
    const response = await api(admin, 'GET', '/third-party-policy')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      metadataDocuments: { policy: 'all', hosts: [] },
      dynamicRegistration: false,
    })
  })

  it('replaces the policy, audited, and reads it back', async () => {
    const policy = {
      metadataDocuments: { policy: 'allow-list', hosts: ['claude.ai', 'app.example.com'] },
      dynamicRegistration: true,
    }
    try {
      const put = await api(admin, 'PUT', '/third-party-policy', policy)
      expect(put.status).toBe(200)
      expect(await put.json()).toEqual(policy)
      expect(await (await api(admin, 'GET', '/third-party-policy')).json()).toEqual(policy)
      const audit = await env.DB.prepare(
        "SELECT actor_type FROM audit_events WHERE tenant_id = ?1 AND action = 'third_party_policy.replaced'",
      )
        .bind(TENANT_ID)
        .first<{ actor_type: string }>()
      expect(audit?.actor_type).toBe('client')
    } finally {
      await api(admin, 'PUT', '/third-party-policy', {
        metadataDocuments: { policy: 'all', hosts: [] },
        dynamicRegistration: false,
      })
    }
  })

  it('refuses an unknown policy or a host that is not a lower-case host name (RFC 9457)', async () => {
    for (const metadataDocuments of [
      { policy: 'some', hosts: [] },
      { policy: 'allow-list', hosts: ['https://claude.ai'] },
      { policy: 'allow-list', hosts: ['Claude.AI'] },
      { policy: 'allow-list', hosts: ['a.example', 'a.example'] },
    ]) {
      const response = await api(admin, 'PUT', '/third-party-policy', {
        metadataDocuments,
        dynamicRegistration: false,
      })
      expect(response.status).toBe(400)
      expect((await readProblem(response)).errors?.length).toBeGreaterThan(0)
    }
  })

  it('answers 401 without a bearer token', async () => {
    const response = await fetchWorker(`/api/v1/tenants/${TENANT_ID}/third-party-policy`)
    expect(response.status).toBe(401)
  })
})

describe('management API: third-party clients (issue 17)', () => {
  it('lists third-party clients with paging, apart from the administrator clients', async () => {
    const id = await storedClient()
    const dynamic = await storedClient('dynamic')
    const response = await api(admin, 'GET', '/third-party-clients?count=1000')
    const page = (await response.json()) as {
      items: { id: string; registration: string }[]
      total: number
    }
    expect(page.items.map((c) => c.id)).toEqual(expect.arrayContaining([id, dynamic]))
    expect(page.total).toBe(page.items.length)
    const first = (await (await api(admin, 'GET', '/third-party-clients?count=1')).json()) as {
      items: unknown[]
      total: number
    }
    expect(first.items).toHaveLength(1)
    expect(first.total).toBe(page.total)
    const administrators = (await (
      await api(admin, 'GET', '/authorization-code-clients?count=1000')
    ).json()) as { items: { id: string }[] }
    expect(administrators.items.map((c) => c.id)).not.toContain(id)
  })

  it('reads one by its percent-encoded URL id', async () => {
    const id = await storedClient()
    const response = await api(admin, 'GET', clientPath(id))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      id,
      registration: 'metadata-document',
      enabled: true,
      redirectUris: [REDIRECT],
      tokenEndpointAuthMethod: 'none',
      logoUri: 'https://agent.example/logo.png',
    })
    expect((await api(admin, 'GET', clientPath('https://nobody.example/c.json'))).status).toBe(404)
  })

  it('disables a client: /authorize shows the error page and the token endpoint refuses it', async () => {
    const id = await storedClient()
    const patch = await api(admin, 'PATCH', clientPath(id), { enabled: false })
    expect(patch.status).toBe(200)
    expect(await patch.json()).toMatchObject({ id, enabled: false })
    const page = await fetchWorker(
      `/authorize?${new URLSearchParams({
        client_id: id,
        redirect_uri: REDIRECT,
        response_type: 'code',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      })}`,
    )
    expect(page.status).toBe(400)
    expect(page.headers.get('Location')).toBeNull()
    const token = await fetchWorker('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: REDIRECT,
        client_id: id,
        code_verifier: 'x'.repeat(43),
      }).toString(),
    })
    expect(token.status).toBe(401)
    expect(((await token.json()) as { error: string }).error).toBe('invalid_client')
    const enabled = await api(admin, 'PATCH', clientPath(id), { enabled: true })
    expect(await enabled.json()).toMatchObject({ enabled: true })
  })

  it('deletes a client, and answers 404 for it afterwards', async () => {
    const id = await storedClient()
    expect((await api(admin, 'DELETE', clientPath(id))).status).toBe(204)
    expect((await api(admin, 'GET', clientPath(id))).status).toBe(404)
    expect((await api(admin, 'DELETE', clientPath(id))).status).toBe(404)
  })

  it('never finds an administrator client through this collection', async () => {
    const created = await api(admin, 'POST', '/authorization-code-clients', {
      name: 'Mine',
      redirectUris: [REDIRECT],
    })
    const { id } = (await created.json()) as { id: string }
    expect((await api(admin, 'GET', clientPath(id))).status).toBe(404)
    expect((await api(admin, 'PATCH', clientPath(id), { enabled: false })).status).toBe(404)
    expect((await api(admin, 'DELETE', clientPath(id))).status).toBe(404)
  })
})
