import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { verifyPassword } from '../../worker/src/crypto/password'
import type { ProblemDetails } from '../../worker/src/routes/api/resource-types'
import type { TenantBootstrap } from '../../worker/src/steps/bootstrap-tenant'
import { findUserByEmail } from '../../worker/src/storage/users'
import { fetchWorker, OPS_AUTH, testApp, testConfig, testDb } from './helpers/worker'

const json = (body: unknown) => ({
  method: 'POST',
  headers: { ...OPS_AUTH, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})

async function count(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>()
  return row?.n ?? 0
}

describe('operator endpoints', () => {
  it('answer 401 with a Bearer challenge without the operator token', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: 'Basic x' },
    ]
    for (const headers of attempts) {
      const response = await fetchWorker('/ops/keys/rotate', { method: 'POST', headers })
      expect(response.status).toBe(401)
      expect(response.headers.get('Content-Type')).toBe('application/problem+json')
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer /)
    }
  })

  it('do not exist when OPS_TOKEN is not set', async () => {
    const app = testApp(testConfig({ OPS_TOKEN: '' }))
    const response = await app.request('/ops/keys/rotate', { method: 'POST', headers: OPS_AUTH })
    expect(response.status).toBe(404)
  })

  it('seed the demo tenant idempotently, converging to .dev.vars', async () => {
    const first = await fetchWorker('/ops/dev-seed', { method: 'POST', headers: OPS_AUTH })
    expect(first.status).toBe(200)
    const counts = await Promise.all(['tenants', 'users', 'clients', 'client_secrets'].map(count))
    const second = await fetchWorker('/ops/dev-seed', { method: 'POST', headers: OPS_AUTH })
    expect(await second.json()).toEqual({
      tenantCreated: false,
      adminCreated: false,
      adminPasswordUpdated: false,
    })
    expect(await Promise.all(['tenants', 'users', 'clients', 'client_secrets'].map(count))).toEqual(
      counts,
    )
    const admin = await findUserByEmail(
      testDb(),
      env.DEMO_TENANT_ID ?? '',
      env.DEMO_ADMIN_EMAIL ?? '',
    )
    expect(admin?.user.roleIds).toEqual(['account-administrator', 'account-member'])
    expect(await verifyPassword(env.DEMO_ADMIN_PASSWORD ?? '', admin?.passwordHash ?? '')).toBe(
      true,
    )
  })

  it('bootstrap a tenant with an administrator user and client, secrets shown once', async () => {
    const response = await fetchWorker(
      '/ops/tenants',
      json({ name: 'Acme', adminEmail: 'root@acme.example' }),
    )
    expect(response.status).toBe(201)
    const body = (await response.json()) as TenantBootstrap
    expect(body.admin.password.length).toBeGreaterThanOrEqual(24)
    expect(body.adminClient.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const stored = await env.DB.prepare(
      'SELECT secret_hash FROM client_secrets WHERE client_id = ?1',
    )
      .bind(body.adminClient.id)
      .first<{ secret_hash: string }>()
    expect(stored?.secret_hash).not.toBe(body.adminClient.secret)
    const audit = await env.DB.prepare(
      "SELECT * FROM audit_events WHERE action = 'tenant.created'",
    ).all()
    expect(JSON.stringify(audit.results)).not.toContain(body.adminClient.secret)
  })

  it('N09 refuse a tenant or administrator name with control or bidi override characters', async () => {
    const response = await fetchWorker(
      '/ops/tenants',
      json({ name: 'Acme\u202Egro', adminEmail: 'root@acme.example', adminName: 'Root\n' }),
    )
    expect(response.status).toBe(400)
    const problem = (await response.json()) as ProblemDetails
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(['#/adminName', '#/name'])
  })

  it('answer invalid bodies with RFC 9457 problem details, one entry per field', async () => {
    const response = await fetchWorker('/ops/tenants', json({ name: '', adminEmail: 'nope' }))
    expect(response.status).toBe(400)
    const problem = (await response.json()) as ProblemDetails
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(['#/adminEmail', '#/name'])
  })
})
