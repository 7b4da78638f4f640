import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { verifyPassword } from '../../../worker/src/crypto/password'
import { bootstrapTenant } from '../../../worker/src/steps/bootstrap-tenant'
import { findUserByEmail } from '../../../worker/src/storage/users'
import { testDb } from '../helpers/worker'

const NOW = 1_900_000_000

describe('bootstrapTenant', () => {
  it('creates the tenant, its administrator user and client at the given time, audited with the request id', async () => {
    const deps = { db: testDb(), now: () => NOW, requestId: 'request-bootstrap' }
    const result = await bootstrapTenant(deps, { name: 'Frozen', adminEmail: 'root@frozen.test' })
    const tenant = await env.DB.prepare('SELECT name, created_at FROM tenants WHERE id = ?1')
      .bind(result.tenantId)
      .first()
    expect(tenant).toEqual({ name: 'Frozen', created_at: NOW })
    const admin = await findUserByEmail(testDb(), result.tenantId, 'root@frozen.test')
    expect(admin?.user).toMatchObject({
      id: result.admin.id,
      roleIds: ['account-administrator', 'account-member'],
      createdAt: NOW,
    })
    expect(await verifyPassword(result.admin.password, admin?.passwordHash ?? '')).toBe(true)
    const client = await env.DB.prepare('SELECT type, created_at FROM clients WHERE id = ?1')
      .bind(result.adminClient.id)
      .first()
    expect(client).toEqual({ type: 'client-credentials', created_at: NOW })
    const audit = await env.DB.prepare(
      "SELECT occurred_at, request_id, actor_type FROM audit_events WHERE tenant_id = ?1 AND action = 'tenant.created'",
    )
      .bind(result.tenantId)
      .first()
    expect(audit).toEqual({
      occurred_at: NOW,
      request_id: 'request-bootstrap',
      actor_type: 'operator',
    })
  })
})
