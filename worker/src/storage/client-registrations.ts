import type { Client } from '../domain/client'
import type { RegistrationMetadata } from '../domain/registration-metadata'
import { type AuditEvent, auditIfChanged } from './audit'
import { type ClientRow, rowToClient } from './clients'
import type { Db } from './db'

/** What `client_registrations.metadata` holds: the registered values `clients` has no column for. */
export type StoredRegistrationMetadata = Pick<
  RegistrationMetadata,
  'grantTypes' | 'responseTypes' | 'scope'
>

/** A dynamically registered client with its registration (RFC 7592). */
export interface ClientRegistration {
  client: Client
  tokenHash: string
  metadata: StoredRegistrationMetadata
  registeredAt: number
  firstUsedAt: number | null
}

interface Row extends ClientRow {
  registration_token_hash: string
  metadata: string
  registered_at: number
  first_used_at: number | null
}

/**
 * The registration row of a client being inserted (pass it to `insertClient`'s `more`): written
 * only with the client, in the same transaction, so a client never exists without the hash of its
 * registration access token.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-1 RFC 7592 §1}
 */
export function insertRegistrationStatement(
  db: Db,
  registration: {
    clientId: string
    tenantId: string
    tokenHash: string
    initialAccessTokenId: string
    metadata: StoredRegistrationMetadata
    registeredAt: number
  },
): D1PreparedStatement {
  return db.prepare(
    `INSERT INTO client_registrations (client_id, tenant_id, registration_token_hash,
       initial_access_token_id, metadata, registered_at)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM clients WHERE id = ?1)`,
    registration.clientId,
    registration.tenantId,
    registration.tokenHash,
    registration.initialAccessTokenId,
    JSON.stringify(registration.metadata),
    registration.registeredAt,
  )
}

/** A dynamic client and its registration, by client id, or null. */
export async function findRegistration(
  db: Db,
  clientId: string,
): Promise<ClientRegistration | null> {
  const row = await db.first<Row>(
    `SELECT c.*, '[]' AS role_ids, r.registration_token_hash, r.metadata, r.registered_at,
       r.first_used_at
     FROM client_registrations r JOIN clients c ON c.id = r.client_id
     WHERE r.client_id = ?1 AND c.registration = 'dynamic'`,
    clientId,
  )
  if (row === null) return null
  return {
    client: rowToClient(row),
    tokenHash: row.registration_token_hash,
    metadata: JSON.parse(row.metadata) as StoredRegistrationMetadata,
    registeredAt: row.registered_at,
    firstUsedAt: row.first_used_at,
  }
}

/**
 * Deletes a dynamic client (RFC 7592 §2.3); its registration, codes and grants go with it
 * (ON DELETE CASCADE), so its tokens stop working.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2.3 RFC 7592 §2.3}
 */
export async function deleteRegisteredClient(
  db: Db,
  clientId: string,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  const [deleted] = await db.batch([
    db.prepare(`DELETE FROM clients WHERE id = ?1 AND registration = 'dynamic'`, clientId),
    ...auditIfChanged(db, audit),
  ])
  return (deleted?.meta.changes ?? 0) > 0 ? 'written' : 'not-found'
}

/**
 * Marks a registration used by the redemption of one of its codes (the request that consumed
 * `?1`, the code hash, is `?2`), once: a primary-key lookup that writes nothing for an
 * administrator's client or after the first use. Part of the redemption batch, so marking use
 * costs no round trip. Unused registrations are purged (storage/purge.ts).
 */
export function markRegistrationUsedStatement(
  db: Db,
  input: { codeHash: string; requestId: string; clientId: string; now: number },
): D1PreparedStatement {
  return db.prepare(
    `UPDATE client_registrations SET first_used_at = ?4
     WHERE client_id = ?3 AND first_used_at IS NULL AND EXISTS (
       SELECT 1 FROM authorization_codes WHERE code_hash = ?1 AND consumed_by = ?2)`,
    input.codeHash,
    input.requestId,
    input.clientId,
    input.now,
  )
}

/**
 * Replaces a registration access token whose hash is still `oldHash` (RFC 7592 §3 lets a read
 * issue a new one; only hashes are stored, so a read must). Conditional, so of two reads with the
 * same token one gets the new token and the other a refusal. Answers whether it was replaced.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-3 RFC 7592 §3}
 */
export async function rotateRegistrationToken(
  db: Db,
  clientId: string,
  oldHash: string,
  newHash: string,
): Promise<boolean> {
  const changes = await db.run(
    `UPDATE client_registrations SET registration_token_hash = ?3
     WHERE client_id = ?1 AND registration_token_hash = ?2`,
    clientId,
    oldHash,
    newHash,
  )
  return changes === 1
}
