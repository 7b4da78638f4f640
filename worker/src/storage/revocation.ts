import type { Db } from './db'

/**
 * Lists a self-contained access token as revoked until it would have expired (RFC 7009 §2).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2 RFC 7009 §2}
 */
export async function revokeAccessToken(db: Db, jti: string, expiresAt: number): Promise<void> {
  await db.run(
    'INSERT OR IGNORE INTO revoked_access_tokens (jti, expires_at) VALUES (?1, ?2)',
    jti,
    expiresAt,
  )
}

/**
 * Revokes a grant: its refresh tokens and the access tokens issued under it stop working at once
 * (RFC 7009 §2.1 SHOULD, checklist F09).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 RFC 7009 §2.1}
 */
export async function revokeGrantById(db: Db, grantId: string, now: number): Promise<void> {
  await db.run(
    'UPDATE grants SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL',
    grantId,
    now,
  )
}
