import { BUILT_IN_ROLES } from '../domain/built-in-roles'
import type { Db } from './db'

export interface Tenant {
  id: string
  name: string
  createdAt: number
}

/**
 * Creates a tenant with its built-in roles, in one transaction. Idempotent: an existing tenant
 * (and its roles) are left as they are. Answers whether the tenant was created.
 */
export async function insertTenant(db: Db, tenant: Tenant): Promise<boolean> {
  const [created] = await db.batch([
    db.prepare(
      'INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)',
      tenant.id,
      tenant.name,
      tenant.createdAt,
    ),
    ...BUILT_IN_ROLES.map((role) =>
      db.prepare(
        `INSERT OR IGNORE INTO roles (tenant_id, id, name, description, built_in, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)`,
        tenant.id,
        role.id,
        role.name,
        role.description,
        tenant.createdAt,
      ),
    ),
  ])
  return (created?.meta.changes ?? 0) === 1
}
