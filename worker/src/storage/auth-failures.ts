import { emailKey } from '../domain/user'
import type { Db } from './db'

/**
 * Keys of the consistent failure counters (`auth_failures`, D1, not KV; checklist D08). A lockout
 * counts failures per account AND address, so nobody can lock a client or a user out from
 * elsewhere by failing on purpose; the per-account total only raises the alert. `ip` is the
 * address's counting key (`addressKey`: IPv6 by /64).
 */
export const failureKeys = {
  client: (clientId: string) => `client:${clientId}`,
  clientFrom: (clientId: string, ip: string) => `client:${clientId}@${ip}`,
  account: (tenantId: string, email: string) => `user:${tenantId}:${emailKey(email)}`,
  accountFrom: (tenantId: string, email: string, ip: string) =>
    `user:${tenantId}:${emailKey(email)}@${ip}`,
  /** Failed sign-ins from one address, whatever the account or tenant. */
  signInsFrom: (ip: string) => `sign-ins@${ip}`,
}

/**
 * Counts one failed authentication under each key, starting a new window where the current one
 * is over. One statement per key in one batch, so concurrent failures are all counted. Answers
 * each key's count in its window, in order.
 */
export async function recordAuthFailures(
  db: Db,
  keys: readonly string[],
  now: number,
  windowSeconds: number,
): Promise<number[]> {
  const results = await db.batch<{ failures: number }>(
    keys.map((key) =>
      db.prepare(
        `INSERT INTO auth_failures (key, failures, window_started_at) VALUES (?1, 1, ?2)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN window_started_at <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
           window_started_at = CASE WHEN window_started_at <= ?2 - ?3 THEN ?2 ELSE window_started_at END
         RETURNING failures`,
        key,
        now,
        windowSeconds,
      ),
    ),
  )
  return results.map((result) => result.results[0]?.failures ?? 1)
}

/** Forgets failures after a successful authentication. */
export async function clearAuthFailures(db: Db, keys: readonly string[]): Promise<void> {
  await db.run(
    'DELETE FROM auth_failures WHERE key IN (SELECT value FROM json_each(?1))',
    JSON.stringify(keys),
  )
}

/**
 * A failure counter an attempt is checked against: at most `maxFailures` per window of
 * `windowSeconds` (null: counted, never refusing, as the per-account total behind the alert).
 */
export interface AttemptCounter {
  key: string
  maxFailures: number | null
  windowSeconds: number
}

/** The counters an attempt reserved, by key: the count with this attempt, its window's start. */
export type Reservation = ReadonlyMap<string, { failures: number; windowStartedAt: number }>

const COUNTERS = `WITH counter (key, max_failures, window_seconds) AS (
  SELECT value ->> '$.key', value ->> '$.maxFailures', value ->> '$.windowSeconds'
  FROM json_each(?1))`

const REFUSING = `FROM counter c JOIN auth_failures f ON f.key = c.key
  WHERE f.failures >= c.max_failures AND f.window_started_at > ?2 - c.window_seconds`

/**
 * Reserves one attempt under every counter, as a failure, before the attempt is checked: in one
 * conditional statement, so concurrent attempts are counted one after the other and none gets
 * past a full counter. Nothing is counted when any counter is full (a window over starts again).
 * Read its answer with `readReservation`; a success gives the attempt back (`releaseAttempt`).
 */
export function reserveAttemptStatement(
  db: Db,
  counters: readonly AttemptCounter[],
  now: number,
): D1PreparedStatement {
  return db.prepare(
    `${COUNTERS}
     INSERT INTO auth_failures (key, failures, window_started_at)
     SELECT key, 1, ?2 FROM counter WHERE NOT EXISTS (SELECT 1 ${REFUSING})
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN window_started_at <= ?2 - (SELECT window_seconds FROM counter
         WHERE counter.key = auth_failures.key) THEN 1 ELSE failures + 1 END,
       window_started_at = CASE WHEN window_started_at <= ?2 - (SELECT window_seconds FROM counter
         WHERE counter.key = auth_failures.key) THEN ?2 ELSE window_started_at END
     RETURNING key, failures, window_started_at`,
    JSON.stringify(counters),
    now,
  )
}

/** When the last full counter's window ends (unix seconds), or null when none is full. */
export function refusedUntilStatement(
  db: Db,
  counters: readonly AttemptCounter[],
  now: number,
): D1PreparedStatement {
  return db.prepare(
    `${COUNTERS} SELECT MAX(f.window_started_at + c.window_seconds) AS refused_until ${REFUSING}`,
    JSON.stringify(counters),
    now,
  )
}

/** The reservation in the answer of `reserveAttemptStatement`, or undefined when refused. */
export function readReservation(result: D1Result | undefined): Reservation | undefined {
  const rows = (result?.results ?? []) as {
    key: string
    failures: number
    window_started_at: number
  }[]
  if (rows.length === 0) return undefined
  return new Map(
    rows.map((row) => [
      row.key,
      { failures: row.failures, windowStartedAt: row.window_started_at },
    ]),
  )
}

/**
 * Ends a successful attempt: forgets the counters in `forget` and gives the attempt back to the
 * others (only within the window it was reserved in), so they count failures only. One round trip.
 */
export async function releaseAttempt(
  db: Db,
  reservation: Reservation,
  forget: readonly string[],
): Promise<void> {
  const giveBack = [...reservation]
    .filter(([key]) => !forget.includes(key))
    .map(([key, { windowStartedAt }]) => [key, windowStartedAt])
  await db.batch([
    db.prepare(
      'DELETE FROM auth_failures WHERE key IN (SELECT value FROM json_each(?1))',
      JSON.stringify(forget),
    ),
    // `key IN (...)` reaches the rows through the primary key; the EXISTS alone would make SQLite
    // read every counter of every address (worker/storage-schema.md, "Query plans").
    db.prepare(
      `UPDATE auth_failures SET failures = failures - 1
       WHERE key IN (SELECT j.value ->> '$[0]' FROM json_each(?1) j)
         AND failures > 0 AND EXISTS (SELECT 1 FROM json_each(?1) j
           WHERE j.value ->> '$[0]' = auth_failures.key
             AND j.value ->> '$[1]' = auth_failures.window_started_at)`,
      JSON.stringify(giveBack),
    ),
  ])
}
