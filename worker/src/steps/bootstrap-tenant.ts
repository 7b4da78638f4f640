import * as z from 'zod'
import { sha256 } from '../crypto/hash'
import { hashPassword } from '../crypto/password'
import { randomId, randomToken } from '../crypto/random'
import type { Deps } from '../deps'
import { ACCOUNT_ADMINISTRATOR, ACCOUNT_MEMBER } from '../domain/built-in-roles'
import { newClient } from '../domain/client'
import { displayName, requiredName } from '../domain/display-name'
import { recordAudit } from '../storage/audit'
import { insertClient } from '../storage/clients'
import { insertTenant } from '../storage/tenants'
import { insertUser } from '../storage/users'

/** The operator's request: the tenant's name and its first administrator. */
export const BootstrapTenantInput = z.object({
  name: requiredName(),
  adminEmail: z.email(),
  adminName: displayName().optional(),
})
export type BootstrapTenantInput = z.infer<typeof BootstrapTenantInput>

/** What the operator gets back, the one time the password and the secret are shown. */
export interface TenantBootstrap {
  tenantId: string
  admin: { id: string; email: string; password: string }
  adminClient: { id: string; secret: string }
}

/**
 * Creates a tenant with its first Account Administrator: a user (with a generated password,
 * shown once) and a client-credentials client (with a secret, shown once) for the management
 * API. The operator's way in on a fresh deployment (README "Deploy to Cloudflare").
 */
export async function bootstrapTenant(
  deps: Pick<Deps, 'db' | 'now' | 'requestId'>,
  input: BootstrapTenantInput,
): Promise<TenantBootstrap> {
  const { db, requestId } = deps
  const now = deps.now()
  const tenantId = randomId()
  const adminPassword = randomToken(18)
  const clientSecret = randomToken()
  const adminUserId = randomId()
  const adminClientId = randomId()
  await insertTenant(db, { id: tenantId, name: input.name, createdAt: now })
  await insertUser(
    db,
    {
      id: adminUserId,
      tenantId,
      email: input.adminEmail,
      name: input.adminName ?? '',
      enabled: true,
      roleIds: [ACCOUNT_MEMBER, ACCOUNT_ADMINISTRATOR],
      createdAt: now,
      updatedAt: now,
    },
    await hashPassword(adminPassword),
  )
  await insertClient(
    db,
    newClient(
      {
        id: adminClientId,
        tenantId,
        type: 'client-credentials',
        name: 'Administration client',
        roleIds: [ACCOUNT_MEMBER, ACCOUNT_ADMINISTRATOR],
      },
      now,
    ),
    { id: randomId(), hash: await sha256(clientSecret), description: 'Bootstrap', expiresAt: null },
  )
  await recordAudit(db, {
    tenantId,
    actorType: 'operator',
    actorId: null,
    action: 'tenant.created',
    targetType: 'tenant',
    targetId: tenantId,
    requestId,
    details: { adminUserId, adminClientId },
    occurredAt: now,
  })
  return {
    tenantId,
    admin: { id: adminUserId, email: input.adminEmail, password: adminPassword },
    adminClient: { id: adminClientId, secret: clientSecret },
  }
}
