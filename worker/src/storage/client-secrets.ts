import { type ClientSecret, MAX_SECRETS_PER_CLIENT } from '../domain/client'
import { type AuditEvent, auditIfChanged } from './audit'
import type { NewClientSecret } from './clients'
import type { Db } from './db'

interface ClientSecretRow {
  id: string
  client_id: string
  description: string
  expires_at: number | null
  created_at: number
}

const rowToSecret = (row: ClientSecretRow): ClientSecret => ({
  id: row.id,
  clientId: row.client_id,
  description: row.description,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
})

/** A client's secrets (never their hashes), oldest first. */
export async function listClientSecrets(db: Db, clientId: string): Promise<ClientSecret[]> {
  const rows = await db.all<ClientSecretRow>(
    `SELECT id, client_id, description, expires_at, created_at FROM client_secrets
     WHERE client_id = ?1 ORDER BY created_at, id`,
    clientId,
  )
  return rows.map(rowToSecret)
}

/**
 * Adds a secret unless the client already has MAX_SECRETS_PER_CLIENT; the count and the insert
 * are one statement, so concurrent adds cannot pass the limit.
 */
export async function insertClientSecret(
  db: Db,
  clientId: string,
  secret: NewClientSecret,
  now: number,
  audit?: AuditEvent,
): Promise<'written' | 'limit-reached'> {
  const [inserted] = await db.batch([
    db.prepare(
      `INSERT INTO client_secrets (id, client_id, secret_hash, description, expires_at, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE (SELECT COUNT(*) FROM client_secrets WHERE client_id = ?2) < ?7`,
      secret.id,
      clientId,
      secret.hash,
      secret.description,
      secret.expiresAt,
      now,
      MAX_SECRETS_PER_CLIENT,
    ),
    ...auditIfChanged(db, audit),
  ])
  return (inserted?.meta.changes ?? 0) === 1 ? 'written' : 'limit-reached'
}

/**
 * Writes a secret with a fixed id, replacing its hash if it exists (the demo seed, whose secret
 * comes from .dev.vars and may change between starts).
 */
export async function upsertClientSecret(
  db: Db,
  clientId: string,
  secret: NewClientSecret,
  now: number,
): Promise<void> {
  await db.run(
    `INSERT INTO client_secrets (id, client_id, secret_hash, description, expires_at, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (id) DO UPDATE SET secret_hash = excluded.secret_hash,
       expires_at = excluded.expires_at`,
    secret.id,
    clientId,
    secret.hash,
    secret.description,
    secret.expiresAt,
    now,
  )
}

export async function deleteClientSecret(
  db: Db,
  clientId: string,
  id: string,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  const [deleted] = await db.batch([
    db.prepare('DELETE FROM client_secrets WHERE id = ?1 AND client_id = ?2', id, clientId),
    ...auditIfChanged(db, audit),
  ])
  return (deleted?.meta.changes ?? 0) > 0 ? 'written' : 'not-found'
}
