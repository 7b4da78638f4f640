import type { ApiResource } from '../domain/resource'
import { type AuditEvent, auditIfChanged, writeAudited } from './audit'
import { type Db, isUniqueViolation } from './db'

interface ResourceRow {
  id: string
  tenant_id: string
  identifier: string
  name: string
  scopes: string
  access_token_lifetime: number
  require_dpop: number
  created_at: number
  updated_at: number
}

const rowToResource = (row: ResourceRow): ApiResource => ({
  id: row.id,
  tenantId: row.tenant_id,
  identifier: row.identifier,
  name: row.name,
  scopes: JSON.parse(row.scopes) as string[],
  accessTokenLifetime: row.access_token_lifetime,
  requireDpop: row.require_dpop === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** A page of a tenant's resources, by name, and how many there are in all. */
export async function listResources(
  db: Db,
  tenantId: string,
  page: { skip: number; count: number },
): Promise<{ items: ApiResource[]; total: number }> {
  const [rows, total] = await db.batch([
    db.prepare(
      `SELECT * FROM resources WHERE tenant_id = ?1
       ORDER BY name COLLATE NOCASE, id LIMIT ?2 OFFSET ?3`,
      tenantId,
      page.count,
      page.skip,
    ),
    db.prepare('SELECT COUNT(*) AS n FROM resources WHERE tenant_id = ?1', tenantId),
  ])
  return {
    items: ((rows?.results ?? []) as ResourceRow[]).map(rowToResource),
    total: ((total?.results[0] as { n: number } | undefined)?.n ?? 0) as number,
  }
}

export async function findResource(db: Db, tenantId: string, id: string) {
  const row = await db.first<ResourceRow>(
    'SELECT * FROM resources WHERE tenant_id = ?1 AND id = ?2',
    tenantId,
    id,
  )
  return row === null ? null : rowToResource(row)
}

/** The tenant's resources among these identifiers (RFC 8707 `resource` values), in any order. */
export async function findResourcesByIdentifiers(
  db: Db,
  tenantId: string,
  identifiers: readonly string[],
): Promise<ApiResource[]> {
  if (identifiers.length === 0) return []
  const rows = await db.all<ResourceRow>(
    `SELECT * FROM resources
     WHERE tenant_id = ?1 AND identifier IN (SELECT value FROM json_each(?2))`,
    tenantId,
    JSON.stringify(identifiers),
  )
  return rows.map(rowToResource)
}

/** Answers `'duplicate-identifier'` when the tenant has a resource with this identifier. */
export async function insertResource(
  db: Db,
  resource: ApiResource,
  audit?: AuditEvent,
): Promise<'written' | 'duplicate-identifier'> {
  try {
    await db.batch([
      db.prepare(
        `INSERT INTO resources (id, tenant_id, identifier, name, scopes, access_token_lifetime,
           require_dpop, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)`,
        resource.id,
        resource.tenantId,
        resource.identifier,
        resource.name,
        JSON.stringify(resource.scopes),
        resource.accessTokenLifetime,
        resource.requireDpop ? 1 : 0,
        resource.createdAt,
      ),
      ...auditIfChanged(db, audit),
    ])
    return 'written'
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate-identifier'
    throw error
  }
}

/** Replaces a resource's settings (its id and creation time stay). */
export async function updateResource(
  db: Db,
  resource: Omit<ApiResource, 'createdAt'>,
  audit?: AuditEvent,
): Promise<'written' | 'not-found' | 'duplicate-identifier'> {
  return writeAudited(
    db,
    db.prepare(
      `UPDATE resources SET identifier = ?3, name = ?4, scopes = ?5, access_token_lifetime = ?6,
         require_dpop = ?7, updated_at = ?8
       WHERE tenant_id = ?1 AND id = ?2`,
      resource.tenantId,
      resource.id,
      resource.identifier,
      resource.name,
      JSON.stringify(resource.scopes),
      resource.accessTokenLifetime,
      resource.requireDpop ? 1 : 0,
      resource.updatedAt,
    ),
    audit,
    'duplicate-identifier',
  )
}

/**
 * Deletes a resource. Tokens already issued for it stay valid until they expire (they are
 * self-contained); codes and grants naming it can no longer be redeemed or refreshed for it.
 */
export async function deleteResource(
  db: Db,
  tenantId: string,
  id: string,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  return writeAudited(
    db,
    db.prepare('DELETE FROM resources WHERE tenant_id = ?1 AND id = ?2', tenantId, id),
    audit,
  )
}
