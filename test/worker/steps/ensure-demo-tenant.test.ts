import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { DemoSeedConfig } from '../../../worker/src/config'
import { ensureDemoTenant } from '../../../worker/src/steps/ensure-demo-tenant'
import { testDb } from '../helpers/worker'

const NOW = 1_900_000_000

/** A demo seed of its own tenant and clients, so the shared demo tenant is left alone. */
const seed = (adminPassword: string): DemoSeedConfig => ({
  tenantId: 'steps-demo',
  adminEmail: 'admin@steps-demo.test',
  adminPassword,
  adminClientId: 'steps-demo-admin-client',
  adminClientSecret: 'steps-demo-admin-secret-0123456789',
  spaClientId: 'steps-demo-spa',
  spaOrigin: 'http://localhost:5999',
})

describe('ensureDemoTenant', () => {
  it('creates the demo tenant once at the given time, then only converges (password change)', async () => {
    const deps = { db: testDb(), now: () => NOW }
    expect(await ensureDemoTenant(deps, seed('first password 1'))).toEqual({
      tenantCreated: true,
      adminCreated: true,
      adminPasswordUpdated: false,
    })
    expect(await ensureDemoTenant(deps, seed('second password 2'))).toEqual({
      tenantCreated: false,
      adminCreated: false,
      adminPasswordUpdated: true,
    })
    expect(await ensureDemoTenant(deps, seed('second password 2'))).toEqual({
      tenantCreated: false,
      adminCreated: false,
      adminPasswordUpdated: false,
    })
    const clients = await env.DB.prepare(
      'SELECT id, type, created_at FROM clients WHERE tenant_id = ?1 ORDER BY id',
    )
      .bind('steps-demo')
      .all()
    expect(clients.results).toEqual([
      { id: 'steps-demo-admin-client', type: 'client-credentials', created_at: NOW },
      { id: 'steps-demo-spa', type: 'authorization-code', created_at: NOW },
    ])
  })

  it('registers the example MCP server as a resource once (RFC 8707), and leaves it alone after', async () => {
    const deps = { db: testDb(), now: () => NOW }
    const config = {
      ...seed('mcp password 1'),
      tenantId: 'steps-demo-mcp',
      adminClientId: 'steps-demo-mcp-admin-client',
      spaClientId: 'steps-demo-mcp-spa',
    }
    await ensureDemoTenant(deps, config)
    await env.DB.prepare('UPDATE resources SET name = ?1 WHERE tenant_id = ?2')
      .bind('Renamed by the administrator', 'steps-demo-mcp')
      .run()
    await ensureDemoTenant(deps, config)
    const resources = await env.DB.prepare(
      'SELECT identifier, name, scopes FROM resources WHERE tenant_id = ?1',
    )
      .bind('steps-demo-mcp')
      .all()
    expect(resources.results).toEqual([
      {
        identifier: 'http://localhost:8788/mcp',
        name: 'Renamed by the administrator',
        scopes: '["mcp:tools"]',
      },
    ])
  })
})
