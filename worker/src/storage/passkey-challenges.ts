import type { Db } from './db'

/** The two WebAuthn ceremonies a challenge can be issued for. */
export type Ceremony = 'registration' | 'authentication'

export interface NewChallenge {
  challenge: string
  tenantId: string
  ceremony: Ceremony
  /** The user a registration challenge was issued to; null for a sign-in. */
  userId: string | null
  now: number
  expiresAt: number
}

export async function insertChallenge(db: Db, challenge: NewChallenge): Promise<void> {
  await db.run(
    `INSERT INTO passkey_challenges (challenge, tenant_id, ceremony, user_id, created_at, expires_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
    challenge.challenge,
    challenge.tenantId,
    challenge.ceremony,
    challenge.userId,
    challenge.now,
    challenge.expiresAt,
  )
}

/**
 * Consumes a challenge in one conditional write, so of any number of ceremonies presenting it,
 * at most one wins (checklist M01): it must be unexpired, unused, of this tenant and ceremony,
 * and for a registration, issued to this user. Answers whether this call consumed it.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-cryptographic-challenges WebAuthn §13.4.3}
 */
export async function consumeChallenge(
  db: Db,
  challenge: Omit<NewChallenge, 'expiresAt'>,
): Promise<boolean> {
  const changed = await db.run(
    `UPDATE passkey_challenges SET consumed_at = ?5
     WHERE challenge = ?1 AND tenant_id = ?2 AND ceremony = ?3 AND user_id IS ?4
       AND consumed_at IS NULL AND expires_at > ?5`,
    challenge.challenge,
    challenge.tenantId,
    challenge.ceremony,
    challenge.userId,
    challenge.now,
  )
  return changed === 1
}
