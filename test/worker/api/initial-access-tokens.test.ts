import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { allowRegistration, clientMetadata, register } from '../helpers/registration'
import { adminToken, api, readProblem, seedDemoTenant, TENANT_ID } from '../helpers/tenant'
import { fetchWorker } from '../helpers/worker'

interface Created {
  id: string
  value: string
  description: string
  expiration: string
  maxUses: number | null
  uses: number
  revoked: boolean
}

let token: string

beforeAll(async () => {
  await seedDemoTenant()
  token = await adminToken()
})

const issue = (body: unknown) => api(token, 'POST', '/initial-access-tokens', body)

describe('management API: initial access tokens (RFC 7591 §3)', () => {
  it('issues a token shown once, stored as a digest, valid a week by default', async () => {
    const response = await issue({ description: 'MCP clients', maxUses: 3 })
    expect(response.status).toBe(201)
    const created = (await response.json()) as Created
    expect(created).toMatchObject({
      description: 'MCP clients',
      maxUses: 3,
      uses: 0,
      revoked: false,
    })
    expect(created.value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const week = Date.parse(created.expiration) - Date.now()
    expect(week).toBeGreaterThan(6.9 * 24 * 3600 * 1000)
    expect(week).toBeLessThan(7.1 * 24 * 3600 * 1000)
    const row = await env.DB.prepare('SELECT token_hash FROM initial_access_tokens WHERE id = ?1')
      .bind(created.id)
      .first<{ token_hash: string }>()
    expect(row?.token_hash).not.toBe(created.value)
    // The list never shows values.
    const list = (await (await api(token, 'GET', '/initial-access-tokens')).json()) as {
      items: Record<string, unknown>[]
    }
    const listed = list.items.find((item) => item.id === created.id)
    expect(listed).toMatchObject({ uses: 0, revoked: false })
    expect(listed).not.toHaveProperty('value')
  })

  it('refuses an expiration in the past or more than 90 days away', async () => {
    const past = await issue({ description: 'x', expiration: '2020-01-01T00:00:00Z' })
    expect(past.status).toBe(400)
    const far = new Date(Date.now() + 91 * 24 * 3600 * 1000).toISOString()
    const tooFar = await issue({ description: 'x', expiration: far })
    expect((await readProblem(tooFar)).errors?.[0]?.pointer).toBe('#/expiration')
  })

  it('counts registrations, and a revoked token registers nothing more', async () => {
    await allowRegistration()
    const created = (await (await issue({ description: 'revoke me' })).json()) as Created
    expect((await register(clientMetadata(), created.value)).status).toBe(201)
    expect((await api(token, 'DELETE', `/initial-access-tokens/${created.id}`)).status).toBe(204)
    const list = (await (await api(token, 'GET', '/initial-access-tokens')).json()) as {
      items: Created[]
    }
    expect(list.items.find((item) => item.id === created.id)).toMatchObject({
      uses: 1,
      revoked: true,
    })
    expect((await register(clientMetadata(), created.value)).status).toBe(401)
    const audit = await env.DB.prepare(
      'SELECT action FROM audit_events WHERE target_id = ?1 AND tenant_id = ?2 ORDER BY id',
    )
      .bind(created.id, TENANT_ID)
      .all<{ action: string }>()
    expect(audit.results.map((row) => row.action)).toEqual([
      'initial_access_token.created',
      'initial_access_token.revoked',
    ])
  })

  it('answers 404 for revoking a token the tenant does not have', async () => {
    const response = await api(token, 'DELETE', `/initial-access-tokens/${crypto.randomUUID()}`)
    expect(response.status).toBe(404)
  })

  it('requires an Account Administrator token', async () => {
    const response = await fetchWorker(`/api/v1/tenants/${TENANT_ID}/initial-access-tokens`)
    expect(response.status).toBe(401)
  })

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await fetchWorker('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const paths = doc.paths
    expect(Object.keys(paths['/tenants/{tenantId}/initial-access-tokens'] ?? {})).toEqual([
      'get',
      'post',
    ])
    expect(Object.keys(paths['/tenants/{tenantId}/initial-access-tokens/{tokenId}'] ?? {})).toEqual(
      ['delete'],
    )
  })
})
