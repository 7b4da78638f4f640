import { beforeAll, describe, expect, it } from 'vitest'
import type {
  AuditEventResource,
  ClientResource,
  Page,
  RoleResource,
} from '../../../worker/src/routes/api/resource-types'
import { adminToken, api, readProblem, seedDemoTenant } from '../helpers/tenant'

// The audit log's filters (action, target, time range), which the clients portal's Audit log
// page and a client's Audit Log tab use.

let admin: string

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

async function events(query: string): Promise<Page<AuditEventResource>> {
  const response = await api(admin, 'GET', `/audit-events?count=1000&${query}`)
  expect(response.status).toBe(200)
  return (await response.json()) as Page<AuditEventResource>
}

describe('management API: audit log filters', () => {
  it('keeps only the events of one action, with the total of that action', async () => {
    await api(admin, 'POST', '/roles', { name: `Filter ${crypto.randomUUID()}` })
    const page = await events('action=role.created')
    expect(page.items.length).toBeGreaterThan(0)
    expect(page.total).toBe(page.items.length)
    expect(new Set(page.items.map((e) => e.action))).toEqual(new Set(['role.created']))
  })

  it('keeps only the events about one target', async () => {
    const client = (await (
      await api(admin, 'POST', '/authorization-code-clients', {
        name: 'Audit filter',
        redirectUris: ['https://filter.example/cb'],
      })
    ).json()) as ClientResource
    await api(admin, 'DELETE', `/authorization-code-clients/${client.id}`)
    const page = await events(`targetId=${client.id}`)
    expect(page.items.map((e) => e.action)).toEqual(['client.deleted', 'client.created'])
    expect(page.total).toBe(2)
  })

  it('keeps the events of a time range: since is inclusive, until exclusive', async () => {
    const role = (await (
      await api(admin, 'POST', '/roles', { name: `Range ${crypto.randomUUID()}` })
    ).json()) as RoleResource
    const all = await events(`targetId=${role.id}`)
    const at = all.items[0]?.occurredAt ?? ''
    expect(all.total).toBe(1)
    expect((await events(`targetId=${role.id}&since=${encodeURIComponent(at)}`)).total).toBe(1)
    expect((await events(`targetId=${role.id}&until=${encodeURIComponent(at)}`)).total).toBe(0)
    const later = new Date(Date.parse(at) + 1000).toISOString()
    expect((await events(`targetId=${role.id}&until=${encodeURIComponent(later)}`)).total).toBe(1)
    expect((await events(`since=${encodeURIComponent(later)}`)).items).toEqual([])
  })

  it('answers 400 problem details naming the parameter for a time that is not ISO 8601 (RFC 9457)', async () => {
    const response = await api(admin, 'GET', '/audit-events?since=yesterday')
    expect(response.status).toBe(400)
    const problem = await readProblem(response)
    expect(JSON.stringify(problem)).toContain('since')
  })
})
