import type { Client } from '../domain/client'
import { type AuditEvent, auditIfChanged } from './audit'
import { type ClientRow, findClientByIdStatement, readClient, rowToClient } from './clients'
import type { Db } from './db'

// The management API's view of third-party clients (issue 17): those that registered themselves,
// through a client ID metadata document or dynamic registration. Administrators read, disable
// and delete them; they never create or edit their metadata, which is the client's own.

/**
 * Third-party registrations sort after 'administrator' ('dynamic', 'metadata-document'), so a
 * range on the index clients_by_tenant_kind finds them in index order (no sort; query plans).
 */
const THIRD_PARTY = "registration > 'administrator'"

/** One page of a tenant's third-party clients (by registration, then oldest first), and the total. */
export async function listThirdPartyClients(
  db: Db,
  tenantId: string,
  page: { skip: number; count: number },
): Promise<{ items: Client[]; total: number }> {
  const [rows, total] = await db.batch([
    db.prepare(
      `SELECT c.*, '[]' AS role_ids FROM clients c WHERE c.tenant_id = ?1 AND c.${THIRD_PARTY}
       ORDER BY c.registration, c.type, c.created_at, c.id LIMIT ?2 OFFSET ?3`,
      tenantId,
      page.count,
      page.skip,
    ),
    db.prepare(
      `SELECT COUNT(*) AS total FROM clients WHERE tenant_id = ?1 AND ${THIRD_PARTY}`,
      tenantId,
    ),
  ])
  return {
    items: ((rows?.results ?? []) as ClientRow[]).map(rowToClient),
    total: ((total?.results[0] ?? { total: 0 }) as { total: number }).total,
  }
}

/** A third-party client of the tenant, or null (an administrator's client is not found here). */
export async function findThirdPartyClient(
  db: Db,
  tenantId: string,
  id: string,
): Promise<Client | null> {
  const [result] = await db.batch([findClientByIdStatement(db, id)])
  const client = readClient(result)
  return client !== null && client.tenantId === tenantId && client.thirdParty !== null
    ? client
    : null
}

/**
 * Enables or disables a third-party client. Disabling ends its tokens and grants at once, like
 * the administrator's clients (checklist N04, D13); a refetched metadata document never enables
 * it again (steps/resolve-metadata-document-client.ts).
 */
export async function setThirdPartyClientEnabled(
  db: Db,
  tenantId: string,
  id: string,
  enabled: boolean,
  now: number,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  const exists = `EXISTS (SELECT 1 FROM clients WHERE id = ?1 AND tenant_id = ?2 AND ${THIRD_PARTY})`
  const [updated] = await db.batch([
    db.prepare(
      `UPDATE clients SET enabled = ?3, updated_at = ?4,
         tokens_valid_after = CASE WHEN enabled = 1 AND ?3 = 0 THEN ?4 ELSE tokens_valid_after END
       WHERE id = ?1 AND tenant_id = ?2 AND ${THIRD_PARTY}`,
      id,
      tenantId,
      enabled ? 1 : 0,
      now,
    ),
    ...auditIfChanged(db, audit),
    db.prepare(
      `UPDATE grants SET revoked_at = ?3 WHERE client_id = ?1 AND revoked_at IS NULL AND ?4 = 0
         AND ${exists}`,
      id,
      tenantId,
      now,
      enabled ? 1 : 0,
    ),
  ])
  return (updated?.meta.changes ?? 0) === 1 ? 'written' : 'not-found'
}

/**
 * Deletes a third-party client with its codes and grants (ON DELETE CASCADE). A metadata-document
 * client comes back at its next use if the tenant's policy still allows its host.
 */
export async function deleteThirdPartyClient(
  db: Db,
  tenantId: string,
  id: string,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  const [deleted] = await db.batch([
    db.prepare(
      `DELETE FROM clients WHERE id = ?1 AND tenant_id = ?2 AND ${THIRD_PARTY}`,
      id,
      tenantId,
    ),
    ...auditIfChanged(db, audit),
  ])
  return (deleted?.meta.changes ?? 0) > 0 ? 'written' : 'not-found'
}
