import { type AuditEvent, auditIfChanged } from './audit'
import type { Db } from './db'

/** An initial access token as the management API lists it (never its value or hash). */
export interface InitialAccessToken {
  id: string
  tenantId: string
  description: string
  /** How many registrations it allows in all; null: any number until it expires. */
  maxUses: number | null
  uses: number
  expiresAt: number
  revokedAt: number | null
  createdAt: number
}

interface Row {
  id: string
  tenant_id: string
  description: string
  max_uses: number | null
  uses: number
  expires_at: number
  revoked_at: number | null
  created_at: number
}

const rowToToken = (row: Row): InitialAccessToken => ({
  id: row.id,
  tenantId: row.tenant_id,
  description: row.description,
  maxUses: row.max_uses,
  uses: row.uses,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
})

/** A tenant has at most this many initial access tokens (revoked and expired ones included). */
export const MAX_INITIAL_ACCESS_TOKENS_PER_TENANT = 100

/**
 * Stores a new initial access token by its SHA-256 only, unless the tenant already has
 * MAX_INITIAL_ACCESS_TOKENS_PER_TENANT (the count and the insert are one statement).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 RFC 7591 §3}
 */
export async function insertInitialAccessToken(
  db: Db,
  token: Omit<InitialAccessToken, 'uses' | 'revokedAt'> & { hash: string },
  audit?: AuditEvent,
): Promise<'written' | 'limit-reached'> {
  const [inserted] = await db.batch([
    db.prepare(
      `INSERT INTO initial_access_tokens (id, tenant_id, token_hash, description, max_uses,
         expires_at, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
       WHERE (SELECT COUNT(*) FROM initial_access_tokens WHERE tenant_id = ?2) < ?8`,
      token.id,
      token.tenantId,
      token.hash,
      token.description,
      token.maxUses,
      token.expiresAt,
      token.createdAt,
      MAX_INITIAL_ACCESS_TOKENS_PER_TENANT,
    ),
    ...auditIfChanged(db, audit),
  ])
  return (inserted?.meta.changes ?? 0) === 1 ? 'written' : 'limit-reached'
}

/** A tenant's initial access tokens, oldest first. */
export async function listInitialAccessTokens(
  db: Db,
  tenantId: string,
): Promise<InitialAccessToken[]> {
  const rows = await db.all<Row>(
    `SELECT id, tenant_id, description, max_uses, uses, expires_at, revoked_at, created_at
     FROM initial_access_tokens WHERE tenant_id = ?1 ORDER BY created_at, id`,
    tenantId,
  )
  return rows.map(rowToToken)
}

/** Revokes a token (it keeps its row for the list until the purge): no registration after. */
export async function revokeInitialAccessToken(
  db: Db,
  tenantId: string,
  id: string,
  now: number,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  const [revoked] = await db.batch([
    db.prepare(
      `UPDATE initial_access_tokens SET revoked_at = COALESCE(revoked_at, ?3)
       WHERE id = ?1 AND tenant_id = ?2`,
      id,
      tenantId,
      now,
    ),
    ...auditIfChanged(db, audit),
  ])
  return (revoked?.meta.changes ?? 0) === 1 ? 'written' : 'not-found'
}

/** Why a presented initial access token did not allow a registration. */
export type InitialAccessRefusal = 'invalid-token' | 'registration-disabled'

/**
 * Spends one use of an initial access token, if it is unrevoked, unexpired, not used up, and its
 * tenant allows dynamic registration: one conditional UPDATE, so concurrent registrations never
 * pass `max_uses` (checklist M01). Answers its id and tenant, or why not (one more query, only
 * on refusal: a disabled tenant is told apart so its administrator learns why).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 RFC 7591 §3}
 */
export async function spendInitialAccessToken(
  db: Db,
  hash: string,
  now: number,
): Promise<{ id: string; tenantId: string } | InitialAccessRefusal> {
  const spent = await db.first<{ id: string; tenant_id: string }>(
    `UPDATE initial_access_tokens SET uses = uses + 1
     WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2
       AND (max_uses IS NULL OR uses < max_uses)
       AND (SELECT dynamic_registration FROM tenants WHERE id = tenant_id) = 1
     RETURNING id, tenant_id`,
    hash,
    now,
  )
  if (spent !== null) return { id: spent.id, tenantId: spent.tenant_id }
  const why = await db.first<{ enabled: number }>(
    `SELECT t.dynamic_registration AS enabled FROM initial_access_tokens i
       JOIN tenants t ON t.id = i.tenant_id
     WHERE i.token_hash = ?1 AND i.revoked_at IS NULL AND i.expires_at > ?2
       AND (i.max_uses IS NULL OR i.uses < i.max_uses)`,
    hash,
    now,
  )
  return why !== null && why.enabled === 0 ? 'registration-disabled' : 'invalid-token'
}
