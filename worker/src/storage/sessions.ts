import type { Db } from './db'

export interface Session {
  /** Public id, the `sid` claim of ID tokens; the cookie holds a different, secret value. */
  id: string
  tenantId: string
  userId: string
  authTime: number
  /** How the user authenticated (RFC 8176 `amr` values). */
  amr: readonly string[]
  createdAt: number
  lastSeenAt: number
  idleExpiresAt: number
  expiresAt: number
}

/** A live session with the facts /authorize needs about its user, read in one query. */
export interface SessionWithUser extends Session {
  userEnabled: boolean
}

interface SessionRow {
  id: string
  tenant_id: string
  user_id: string
  auth_time: number
  amr: string
  created_at: number
  last_seen_at: number
  idle_expires_at: number
  expires_at: number
  user_enabled: number
}

const rowToSession = (row: SessionRow): SessionWithUser => ({
  id: row.id,
  tenantId: row.tenant_id,
  userId: row.user_id,
  authTime: row.auth_time,
  amr: JSON.parse(row.amr) as string[],
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  idleExpiresAt: row.idle_expires_at,
  expiresAt: row.expires_at,
  userEnabled: row.user_enabled === 1,
})

/** The statement that finds a live session by its cookie's hash (for a batch). */
export function findLiveSessionStatement(
  db: Db,
  secretHash: string,
  now: number,
): D1PreparedStatement {
  return db.prepare(
    `SELECT s.*, u.enabled AS user_enabled FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.secret_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2 AND s.idle_expires_at > ?2`,
    secretHash,
    now,
  )
}

export function readSession(result: D1Result | undefined): SessionWithUser | null {
  const row = result?.results[0] as SessionRow | undefined
  return row === undefined ? null : rowToSession(row)
}

export async function findLiveSession(db: Db, secretHash: string, now: number) {
  const [result] = await db.batch([findLiveSessionStatement(db, secretHash, now)])
  return readSession(result)
}

export async function insertSession(db: Db, session: Session, secretHash: string): Promise<void> {
  await db.run(
    `INSERT INTO sessions (id, secret_hash, tenant_id, user_id, auth_time, created_at, last_seen_at,
       idle_expires_at, expires_at, amr)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
    session.id,
    secretHash,
    session.tenantId,
    session.userId,
    session.authTime,
    session.createdAt,
    session.lastSeenAt,
    session.idleExpiresAt,
    session.expiresAt,
    JSON.stringify(session.amr),
  )
}

/** Slides a session's idle expiry (a statement for a batch; never past the absolute expiry). */
export function touchSessionStatement(db: Db, id: string, now: number, idleSeconds: number) {
  return db.prepare(
    'UPDATE sessions SET last_seen_at = ?2, idle_expires_at = MIN(expires_at, ?2 + ?3) WHERE id = ?1',
    id,
    now,
    idleSeconds,
  )
}

/**
 * Ends every session of a user and revokes what their sessions granted (refresh tokens, user
 * access tokens): used when a user is disabled or deleted, or their password is reset or changed.
 */
export function revokeUserSessionsStatements(
  db: Db,
  userId: string,
  now: number,
): D1PreparedStatement[] {
  return [
    db.prepare(
      'UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL',
      userId,
      now,
    ),
    db.prepare(
      'UPDATE grants SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL',
      userId,
      now,
    ),
  ]
}
