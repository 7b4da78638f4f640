import { type AuditEvent, auditIfChanged, auditStatement } from './audit'
import type { Db } from './db'

/** What a user allowed a third-party client: scope values and resource indicators (RFC 8707). */
export interface Consent {
  tenantId: string
  userId: string
  clientId: string
  scopes: string[]
  resources: string[]
  createdAt: number
  updatedAt: number
}

/** A consent as the account page lists it, with what the page shows of its client. */
export interface ListedConsent extends Consent {
  clientName: string
  registration: 'metadata-document' | 'dynamic'
  clientUri: string | null
  redirectUris: string[]
}

interface ConsentRow {
  tenant_id: string
  user_id: string
  client_id: string
  scopes: string
  resources: string
  created_at: number
  updated_at: number
}

const rowToConsent = (row: ConsentRow): Consent => ({
  tenantId: row.tenant_id,
  userId: row.user_id,
  clientId: row.client_id,
  scopes: JSON.parse(row.scopes) as string[],
  resources: JSON.parse(row.resources) as string[],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** The user's consent to a client, or null when there is none (or it is another tenant's). */
export async function findConsent(
  db: Db,
  tenantId: string,
  userId: string,
  clientId: string,
): Promise<Consent | null> {
  const row = await db.first<ConsentRow>(
    'SELECT * FROM consents WHERE user_id = ?1 AND client_id = ?2 AND tenant_id = ?3',
    userId,
    clientId,
    tenantId,
  )
  return row === null ? null : rowToConsent(row)
}

/**
 * Records a consent, or widens the one there is to the union of both (a consent is never
 * narrowed by a later, smaller request), with its audit event, in one batch.
 */
export async function grantConsent(
  db: Db,
  input: {
    tenantId: string
    userId: string
    clientId: string
    scopes: readonly string[]
    resources: readonly string[]
    now: number
  },
  audit: AuditEvent,
): Promise<void> {
  const union = (column: string) =>
    `(SELECT json_group_array(value) FROM (SELECT value FROM json_each(consents.${column})
       UNION SELECT value FROM json_each(excluded.${column})))`
  await db.batch([
    db.prepare(
      `INSERT INTO consents (user_id, client_id, tenant_id, scopes, resources, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
       ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = ${union('scopes')},
         resources = ${union('resources')}, updated_at = excluded.updated_at`,
      input.userId,
      input.clientId,
      input.tenantId,
      JSON.stringify(input.scopes),
      JSON.stringify(input.resources),
      input.now,
    ),
    auditStatement(db, audit),
  ])
}

interface ListedConsentRow extends ConsentRow {
  client_name: string
  registration: 'metadata-document' | 'dynamic'
  client_uri: string | null
  redirect_uris: string
}

/** The user's consents, oldest first, with their clients' names and hosts (the account page). */
export async function listConsents(
  db: Db,
  tenantId: string,
  userId: string,
): Promise<ListedConsent[]> {
  const rows = await db.all<ListedConsentRow>(
    `SELECT k.*, c.name AS client_name, c.registration, c.client_uri, c.redirect_uris
     FROM consents k JOIN clients c ON c.id = k.client_id
     WHERE k.user_id = ?1 AND k.tenant_id = ?2
     ORDER BY k.created_at, k.client_id`,
    userId,
    tenantId,
  )
  return rows.map((row) => ({
    ...rowToConsent(row),
    clientName: row.client_name,
    registration: row.registration,
    clientUri: row.client_uri,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
  }))
}

/**
 * Withdraws a consent in one batch: deletes it, records the audit event (only when there was
 * one), and revokes every grant of that user for that client, so its refresh tokens and the access
 * tokens issued under them stop working at once (RFC 7009 §2.1, checklist F09). Answers whether
 * there was a consent.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 RFC 7009 §2.1}
 */
export async function withdrawConsent(
  db: Db,
  input: { tenantId: string; userId: string; clientId: string; now: number },
  audit: AuditEvent,
): Promise<boolean> {
  const [deleted] = await db.batch([
    db.prepare(
      'DELETE FROM consents WHERE user_id = ?1 AND client_id = ?2 AND tenant_id = ?3',
      input.userId,
      input.clientId,
      input.tenantId,
    ),
    ...auditIfChanged(db, audit),
    db.prepare(
      `UPDATE grants SET revoked_at = ?3
       WHERE user_id = ?1 AND client_id = ?2 AND tenant_id = ?4 AND revoked_at IS NULL`,
      input.userId,
      input.clientId,
      input.now,
      input.tenantId,
    ),
  ])
  return (deleted?.meta.changes ?? 0) > 0
}
