import { emailKey } from '../domain/user'
import {
  type AttemptCounter,
  type Reservation,
  readReservation,
  refusedUntilStatement,
  reserveAttemptStatement,
} from './auth-failures'
import type { Db } from './db'

/** A sign-in attempt once its failure counters were consulted: reserved, or refused. */
export type SignInAttempt =
  | {
      reservation: Reservation
      /** The account, when one has this email; null otherwise. */
      user: { id: string; enabled: boolean; passwordHash: string | null } | null
    }
  | { reservation: undefined; refusedUntil: number }

interface UserRow {
  id: string
  enabled: number
  password_hash: string | null
}

/**
 * Reserves a sign-in attempt under its failure counters and reads the account, in one round
 * trip. A refused attempt answers when it may be tried again and nothing about the account.
 */
export async function reserveSignInAttempt(
  db: Db,
  tenantId: string,
  email: string,
  counters: readonly AttemptCounter[],
  now: number,
): Promise<SignInAttempt> {
  const [reserved, refused, account] = await db.batch([
    reserveAttemptStatement(db, counters, now),
    refusedUntilStatement(db, counters, now),
    db.prepare(
      'SELECT id, enabled, password_hash FROM users WHERE tenant_id = ?1 AND email_key = ?2',
      tenantId,
      emailKey(email),
    ),
  ])
  const reservation = readReservation(reserved)
  if (reservation === undefined) {
    const row = refused?.results[0] as { refused_until: number | null } | undefined
    return { reservation, refusedUntil: row?.refused_until ?? now }
  }
  const row = account?.results[0] as UserRow | undefined
  return {
    reservation,
    user:
      row === undefined
        ? null
        : { id: row.id, enabled: row.enabled === 1, passwordHash: row.password_hash },
  }
}
