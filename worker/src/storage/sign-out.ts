import type { Db } from './db'

/**
 * Ends a browser session and revokes what it granted (refresh tokens and user access tokens of
 * its grants): sign-out ends them too (RFC 9700 §4.14.2, checklist F07), in one transaction.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 RFC 9700 §4.14.2}
 */
export async function endSession(db: Db, sessionId: string, now: number): Promise<void> {
  await db.batch([
    db.prepare(
      'UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL',
      sessionId,
      now,
    ),
    db.prepare(
      'UPDATE grants SET revoked_at = ?2 WHERE session_id = ?1 AND revoked_at IS NULL',
      sessionId,
      now,
    ),
  ])
}
