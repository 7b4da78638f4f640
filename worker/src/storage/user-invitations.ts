import { type AuditEvent, auditIfChanged } from './audit'
import type { Db } from './db'
import { revokeUserSessionsStatements } from './sessions'

/** A first-password invitation stays usable this long (the administrator sends the link). */
export const INVITATION_LIFETIME_SECONDS = 7 * 24 * 3600
/**
 * A password-reset link is shorter-lived: it replaces a password that may be known to someone
 * else (OWASP Forgot Password Cheat Sheet: tokens expire after a short, suitable period).
 */
export const RESET_LINK_LIFETIME_SECONDS = 24 * 3600

/** A one-time link to set a password: only the SHA-256 of its token is stored (checklist C07). */
export interface NewInvitation {
  tokenHash: string
  userId: string
  createdAt: number
  expiresAt: number
}

/** The user a live (unused, unexpired) link is for. */
export interface InvitedUser {
  userId: string
  tenantId: string
  email: string
  name: string
}

interface InvitedUserRow {
  user_id: string
  tenant_id: string
  email: string
  name: string
}

const rowToInvitedUser = (row: InvitedUserRow): InvitedUser => ({
  userId: row.user_id,
  tenantId: row.tenant_id,
  email: row.email,
  name: row.name,
})

/** The insert of a link, for the batch that creates the user or the reset. */
export function insertInvitationStatement(db: Db, invitation: NewInvitation): D1PreparedStatement {
  return db.prepare(
    `INSERT INTO user_invitations (token_hash, user_id, created_at, expires_at)
     VALUES (?1, ?2, ?3, ?4)`,
    invitation.tokenHash,
    invitation.userId,
    invitation.createdAt,
    invitation.expiresAt,
  )
}

/** Uses up every outstanding link of a user: a new password or a new link makes them moot. */
export function expireInvitationsStatement(
  db: Db,
  userId: string,
  now: number,
): D1PreparedStatement {
  return db.prepare(
    'UPDATE user_invitations SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL',
    userId,
    now,
  )
}

/** The user of a live link, or null for an unknown, used or expired one (all alike). */
export async function findLiveInvitation(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<InvitedUser | null> {
  const row = await db.first<InvitedUserRow>(
    `SELECT i.user_id, u.tenant_id, u.email, u.name
     FROM user_invitations i JOIN users u ON u.id = i.user_id
     WHERE i.token_hash = ?1 AND i.consumed_at IS NULL AND i.expires_at > ?2 AND u.enabled = 1`,
    tokenHash,
    now,
  )
  return row === null ? null : rowToInvitedUser(row)
}

/**
 * Creates a password-reset link: earlier links stop working, and the user's sessions end and
 * their grants are revoked, all in one transaction with the audit line.
 */
export async function insertPasswordResetLink(
  db: Db,
  invitation: NewInvitation,
  audit: AuditEvent,
): Promise<'written'> {
  await db.batch([
    expireInvitationsStatement(db, invitation.userId, invitation.createdAt),
    insertInvitationStatement(db, invitation),
    ...auditIfChanged(db, audit),
    ...revokeUserSessionsStatements(db, invitation.userId, invitation.createdAt),
  ])
  return 'written'
}

/**
 * Sets a password through a link, in one transaction: the link is consumed with one conditional
 * statement (docs/architecture.md "Consistency contract"), and the password is
 * written only when that statement consumed it (SQLite `changes()` of the statement just
 * before), so of concurrent submissions exactly one wins. Answers false when the link was
 * unknown, used or expired at that moment.
 */
export async function redeemInvitation(
  db: Db,
  redemption: { tokenHash: string; userId: string; passwordHash: string; now: number },
  audit: AuditEvent,
): Promise<boolean> {
  const { tokenHash, userId, passwordHash, now } = redemption
  const [consumed] = await db.batch([
    db.prepare(
      `UPDATE user_invitations SET consumed_at = ?3
       WHERE token_hash = ?1 AND user_id = ?2 AND consumed_at IS NULL AND expires_at > ?3
         AND EXISTS (SELECT 1 FROM users WHERE id = ?2 AND enabled = 1)
       RETURNING user_id`,
      tokenHash,
      userId,
      now,
    ),
    db.prepare(
      `UPDATE users SET password_hash = ?2, password_changed_at = ?3, updated_at = ?3
       WHERE id = ?1 AND changes() = 1`,
      userId,
      passwordHash,
      now,
    ),
    ...auditIfChanged(db, audit),
    expireInvitationsStatement(db, userId, now),
    // Unconditional, but harmless for the loser of a race: it may only end a session begun in
    // the milliseconds between the two transactions, and ending a session is the safe side.
    ...revokeUserSessionsStatements(db, userId, now),
  ])
  return (consumed?.results.length ?? 0) === 1
}
