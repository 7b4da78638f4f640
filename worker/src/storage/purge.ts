import type { Db } from './db'

/** Rows are kept this long after they stop mattering, for investigations, then deleted. */
export const PURGE_GRACE_SECONDS = 7 * 24 * 3600

/** A dynamically registered client that gets no token this long after registering is deleted. */
export const UNUSED_REGISTRATION_SECONDS = PURGE_GRACE_SECONDS

export interface PurgeReport {
  [table: string]: number
}

/**
 * Deletes what can no longer be used (expired or consumed codes, ended sessions, expired grants
 * with their refresh tokens and access-token records, expired revocations, old failure windows,
 * spent invitations), a week after it stopped mattering; DPoP proof jtis and passkey challenges
 * as soon as they expire; dynamic registrations never used within UNUSED_REGISTRATION_SECONDS,
 * with their clients. Run by the daily Cron Trigger, in one
 * batch; audit events are kept.
 */
export async function purgeExpired(db: Db, now: number): Promise<PurgeReport> {
  const before = now - PURGE_GRACE_SECONDS
  const statements = {
    authorization_codes: 'DELETE FROM authorization_codes WHERE expires_at < ?1',
    sessions:
      'DELETE FROM sessions WHERE expires_at < ?1 OR idle_expires_at < ?1 OR revoked_at < ?1',
    grants: 'DELETE FROM grants WHERE expires_at < ?1 OR revoked_at < ?1',
    refresh_tokens: 'DELETE FROM refresh_tokens WHERE expires_at < ?1',
    access_tokens: 'DELETE FROM access_tokens WHERE expires_at < ?1',
    revoked_access_tokens: 'DELETE FROM revoked_access_tokens WHERE expires_at < ?1',
    auth_failures: 'DELETE FROM auth_failures WHERE window_started_at < ?1',
    user_invitations: 'DELETE FROM user_invitations WHERE expires_at < ?1 OR consumed_at < ?1',
    // A proof's jti matters only while its iat is in the window: deleted once expired, no grace.
    dpop_proofs: `DELETE FROM dpop_proofs WHERE expires_at < ?1 + ${PURGE_GRACE_SECONDS}`,
    // Challenges tell nothing worth keeping, and anyone can ask for one: gone once expired.
    passkey_challenges: `DELETE FROM passkey_challenges WHERE expires_at < ?1 + ${PURGE_GRACE_SECONDS}`,
    // A dynamic registration whose client got no token in the week since (?1 is a week ago)
    // is abandoned: the client goes, with its registration (issue 17, RFC 7591).
    unused_registrations: `DELETE FROM clients WHERE registration = 'dynamic' AND id IN (
      SELECT client_id FROM client_registrations
      WHERE first_used_at IS NULL AND registered_at < ?1)`,
    initial_access_tokens:
      'DELETE FROM initial_access_tokens WHERE expires_at < ?1 OR revoked_at < ?1',
    // Like DPoP jtis: an assertion's jti matters only until the assertion expires.
    client_assertion_jtis: `DELETE FROM client_assertion_jtis WHERE expires_at < ?1 + ${PURGE_GRACE_SECONDS}`,
  }
  const results = await db.batch(Object.values(statements).map((sql) => db.prepare(sql, before)))
  return Object.fromEntries(
    Object.keys(statements).map((table, i) => [table, results[i]?.meta.changes ?? 0]),
  )
}
