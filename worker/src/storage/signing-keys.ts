import type { SigningAlg } from '../crypto/signing-keys'
import type { Db } from './db'

export type SigningKeyState = 'next' | 'active' | 'retired'

export interface SigningKeyRow {
  kid: string
  alg: SigningAlg
  state: SigningKeyState
  public_jwk: string
  private_jwk_ciphertext: string
  created_at: number
  activated_at: number | null
  retired_at: number | null
  delete_after: number | null
}

export interface NewSigningKey {
  kid: string
  alg: SigningAlg
  state: 'next' | 'active'
  publicJwk: string
  privateJwkCiphertext: string
  now: number
}

/** Every key that must appear in the JWKS: next, active, and retired ones still kept. */
export function listPublishedSigningKeys(db: Db, now: number): Promise<SigningKeyRow[]> {
  return db.all<SigningKeyRow>(
    `SELECT * FROM signing_keys
     WHERE state != 'retired' OR delete_after > ?1
     ORDER BY alg, created_at DESC`,
    now,
  )
}

/** Every key row, whatever its state (for rotation planning). */
export function listAllSigningKeys(db: Db): Promise<SigningKeyRow[]> {
  return db.all<SigningKeyRow>('SELECT * FROM signing_keys ORDER BY alg, created_at')
}

/** The active key of each algorithm, with its encrypted private part. */
export function listActiveSigningKeys(db: Db): Promise<SigningKeyRow[]> {
  return db.all<SigningKeyRow>("SELECT * FROM signing_keys WHERE state = 'active'")
}

/**
 * Inserts a key unless one in the same state and algorithm exists (a partial unique index
 * guarantees it, even when isolates race). Answers whether this key was inserted.
 */
export async function insertSigningKey(db: Db, key: NewSigningKey): Promise<boolean> {
  const changes = await db.run(
    `INSERT OR IGNORE INTO signing_keys
       (kid, alg, state, public_jwk, private_jwk_ciphertext, created_at, activated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?3 = 'active' THEN ?6 END)`,
    key.kid,
    key.alg,
    key.state,
    key.publicJwk,
    key.privateJwkCiphertext,
    key.now,
  )
  return changes === 1
}

/**
 * Retires the active key and promotes the next one, in one transaction. Both statements are
 * conditional on the states the plan saw, so a concurrent rotation changes nothing twice.
 */
export async function promoteNextSigningKey(
  db: Db,
  change: {
    alg: SigningAlg
    activeKid: string | undefined
    nextKid: string
    now: number
    deleteAfter: number
  },
): Promise<boolean> {
  const [, promoted] = await db.batch([
    db.prepare(
      `UPDATE signing_keys SET state = 'retired', retired_at = ?3, delete_after = ?4
       WHERE alg = ?1 AND kid = ?2 AND state = 'active'`,
      change.alg,
      change.activeKid ?? '',
      change.now,
      change.deleteAfter,
    ),
    db.prepare(
      `UPDATE signing_keys SET state = 'active', activated_at = ?3
       WHERE alg = ?1 AND kid = ?2 AND state = 'next'`,
      change.alg,
      change.nextKid,
      change.now,
    ),
  ])
  return (promoted?.meta.changes ?? 0) === 1
}

/** Deletes retired keys whose retention has ended; answers how many. */
export function deleteExpiredSigningKeys(db: Db, now: number): Promise<number> {
  return db.run("DELETE FROM signing_keys WHERE state = 'retired' AND delete_after <= ?1", now)
}
