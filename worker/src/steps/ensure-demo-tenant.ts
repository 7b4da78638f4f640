import type { DemoSeedConfig } from '../config'
import { sha256 } from '../crypto/hash'
import { hashPassword, verifyPassword } from '../crypto/password'
import { randomId } from '../crypto/random'
import type { Deps } from '../deps'
import { ACCOUNT_ADMINISTRATOR, ACCOUNT_MEMBER } from '../domain/built-in-roles'
import { type Client, newClient } from '../domain/client'
import { recordAudit } from '../storage/audit'
import { upsertClientSecret } from '../storage/client-secrets'
import { insertClient, replaceClient } from '../storage/clients'
import type { Db } from '../storage/db'
import { insertResource } from '../storage/resources'
import { insertTenant } from '../storage/tenants'
import { findUserByEmail, insertUser, setUserPasswordHash } from '../storage/users'

/** The demo admin client's one secret has a fixed id so a changed .dev.vars replaces it. */
const DEMO_ADMIN_SECRET_ID = '00000000-0000-4000-8000-00000000a0a0'

/**
 * The example MCP server `npm start` runs (examples/mcp-server), registered as a resource of the
 * demo tenant so clients can ask for tokens for it (RFC 8707 `resource`) with scope `mcp:tools`.
 */
export const DEMO_MCP_RESOURCE = {
  identifier: 'http://localhost:8788/mcp',
  name: 'Example MCP server',
  scopes: ['mcp:tools'],
} as const

/** The SPA's URLs on its origin: sign-in callback, silent-renewal callback, after sign-out. */
export function demoSpaUris(origin: string) {
  return {
    redirectUris: [`${origin}/callback`, `${origin}/silent-callback.html`],
    postLogoutRedirectUris: [`${origin}/`],
    allowedCorsOrigins: [origin],
  }
}

export interface DemoSeedReport {
  tenantCreated: boolean
  adminCreated: boolean
  adminPasswordUpdated: boolean
}

/**
 * Makes the demo tenant match .dev.vars (development only): the tenant, an Account Administrator
 * user, a client-credentials client with Account Administrator, the SPA's authorization-code
 * client, and the example MCP server's resource (created once; an administrator's later edits
 * stay). Idempotent: run it at every start; it converges, never duplicates.
 */
export async function ensureDemoTenant(
  deps: Pick<Deps, 'db' | 'now'>,
  demo: DemoSeedConfig,
): Promise<DemoSeedReport> {
  const { db } = deps
  const now = deps.now()
  const tenantCreated = await insertTenant(db, { id: demo.tenantId, name: 'Demo', createdAt: now })

  const existing = await findUserByEmail(db, demo.tenantId, demo.adminEmail)
  let adminCreated = false
  let adminPasswordUpdated = false
  if (existing === null) {
    await insertUser(
      db,
      {
        id: crypto.randomUUID(),
        tenantId: demo.tenantId,
        email: demo.adminEmail,
        name: 'Demo Administrator',
        enabled: true,
        roleIds: [ACCOUNT_MEMBER, ACCOUNT_ADMINISTRATOR],
        createdAt: now,
        updatedAt: now,
      },
      await hashPassword(demo.adminPassword),
    )
    adminCreated = true
  } else if (
    existing.passwordHash === null ||
    !(await verifyPassword(demo.adminPassword, existing.passwordHash))
  ) {
    await setUserPasswordHash(db, existing.user.id, await hashPassword(demo.adminPassword), now)
    adminPasswordUpdated = true
  }

  await ensureClient(
    db,
    newClient(
      {
        id: demo.adminClientId,
        tenantId: demo.tenantId,
        type: 'client-credentials',
        name: 'Demo administration client',
        roleIds: [ACCOUNT_MEMBER, ACCOUNT_ADMINISTRATOR],
      },
      now,
    ),
  )
  await upsertClientSecret(
    db,
    demo.adminClientId,
    {
      id: DEMO_ADMIN_SECRET_ID,
      hash: await sha256(demo.adminClientSecret),
      description: 'From .dev.vars (DEMO_ADMIN_CLIENT_SECRET)',
      expiresAt: null,
    },
    now,
  )
  await ensureClient(
    db,
    newClient(
      {
        ...demoSpaUris(demo.spaOrigin),
        id: demo.spaClientId,
        tenantId: demo.tenantId,
        type: 'authorization-code',
        name: 'Demo SPA and clients portal',
        // The portal administers the tenant for administrators who sign in to it.
        roleIds: [ACCOUNT_MEMBER, ACCOUNT_ADMINISTRATOR],
      },
      now,
    ),
  )
  // 'duplicate-identifier' when it exists already: the seed leaves it as it is.
  await insertResource(db, {
    ...DEMO_MCP_RESOURCE,
    scopes: [...DEMO_MCP_RESOURCE.scopes],
    id: randomId(),
    tenantId: demo.tenantId,
    accessTokenLifetime: 3600,
    requireDpop: false,
    createdAt: now,
    updatedAt: now,
  })

  if (tenantCreated || adminCreated || adminPasswordUpdated) {
    await recordAudit(db, {
      tenantId: demo.tenantId,
      actorType: 'system',
      actorId: null,
      action: 'tenant.demo_seeded',
      details: { tenantCreated, adminCreated, adminPasswordUpdated },
      occurredAt: now,
    })
  }
  return { tenantCreated, adminCreated, adminPasswordUpdated }
}

async function ensureClient(db: Db, client: Client): Promise<void> {
  if ((await replaceClient(db, client)) === 'not-found') await insertClient(db, client, undefined)
}
