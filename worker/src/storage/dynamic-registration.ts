import type { Db } from './db'

/**
 * Turns a tenant's dynamic client registration (RFC 7591) on or off (`tenants.dynamic_registration`,
 * migration 0007; off by default). The management API's third-party policy writes the same
 * column; this is the direct setter tests and operators use. Answers whether the tenant exists.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 RFC 7591 §3}
 */
export async function setDynamicRegistration(
  db: Db,
  tenantId: string,
  enabled: boolean,
): Promise<boolean> {
  const changes = await db.run(
    'UPDATE tenants SET dynamic_registration = ?2 WHERE id = ?1',
    tenantId,
    enabled ? 1 : 0,
  )
  return changes === 1
}
