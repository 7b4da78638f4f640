import { emailKey } from '../domain/user'
import type { Db } from './db'

/**
 * Keys of the consistent failure counters (`auth_failures`, D1, not KV; checklist D08). A lockout
 * counts failures per account AND address, so nobody can lock a client or a user out from
 * elsewhere by failing on purpose; the per-account total only raises the alert.
 */
export const failureKeys = {
  client: (clientId: string) => `client:${clientId}`,
  clientFrom: (clientId: string, ip: string) => `client:${clientId}@${ip}`,
  account: (tenantId: string, email: string) => `user:${tenantId}:${emailKey(email)}`,
  accountFrom: (tenantId: string, email: string, ip: string) =>
    `user:${tenantId}:${emailKey(email)}@${ip}`,
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
