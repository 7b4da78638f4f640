import type { Role } from '../domain/role'
import { type AuditEvent, auditIfChanged, writeAudited } from './audit'
import { type Db, isUniqueViolation } from './db'

interface RoleRow {
  tenant_id: string
  id: string
  name: string
  description: string
  built_in: number
  created_at: number
  updated_at: number
}

const rowToRole = (row: RoleRow): Role => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  description: row.description,
  builtIn: row.built_in === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** A tenant's roles, built-in ones first, then by name. */
export async function listRoles(db: Db, tenantId: string): Promise<Role[]> {
  const rows = await db.all<RoleRow>(
    'SELECT * FROM roles WHERE tenant_id = ?1 ORDER BY built_in DESC, name COLLATE NOCASE, id',
    tenantId,
  )
  return rows.map(rowToRole)
}

export async function findRole(db: Db, tenantId: string, id: string): Promise<Role | null> {
  const row = await db.first<RoleRow>(
    'SELECT * FROM roles WHERE tenant_id = ?1 AND id = ?2',
    tenantId,
    id,
  )
  return row === null ? null : rowToRole(row)
}

/** Answers `'duplicate-name'` when the tenant already has a role with this name (any case). */
export async function insertRole(
  db: Db,
  role: Role,
  audit?: AuditEvent,
): Promise<'written' | 'duplicate-name'> {
  try {
    await db.batch([
      db.prepare(
        `INSERT INTO roles (tenant_id, id, name, description, built_in, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)`,
        role.tenantId,
        role.id,
        role.name,
        role.description,
        role.createdAt,
      ),
      ...auditIfChanged(db, audit),
    ])
    return 'written'
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate-name'
    throw error
  }
}

/** Updates a custom role's name and description; built-in roles never change. */
export async function updateRole(
  db: Db,
  role: Pick<Role, 'tenantId' | 'id' | 'name' | 'description' | 'updatedAt'>,
  audit?: AuditEvent,
): Promise<'written' | 'not-found' | 'duplicate-name'> {
  return writeAudited(
    db,
    db.prepare(
      `UPDATE roles SET name = ?3, description = ?4, updated_at = ?5
       WHERE tenant_id = ?1 AND id = ?2 AND built_in = 0`,
      role.tenantId,
      role.id,
      role.name,
      role.description,
      role.updatedAt,
    ),
    audit,
    'duplicate-name',
  )
}

/** Deletes a custom role; users and clients lose it (ON DELETE CASCADE). */
export async function deleteRole(
  db: Db,
  tenantId: string,
  id: string,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  return writeAudited(
    db,
    db.prepare('DELETE FROM roles WHERE tenant_id = ?1 AND id = ?2 AND built_in = 0', tenantId, id),
    audit,
  )
}

/** The ids among `ids` that are not roles of the tenant. */
export async function findUnknownRoleIds(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db.all<{ id: string }>(
    'SELECT id FROM roles WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))',
    tenantId,
    JSON.stringify(ids),
  )
  const known = new Set(rows.map((row) => row.id))
  return ids.filter((id) => !known.has(id))
}
