import { emailKey } from '../domain/user'
import { failureKeys } from './auth-failures'
import type { Db } from './db'

/** What a sign-in attempt needs, in one round trip: the account (if any) and failures. */
export interface SignInRecord {
  user: { id: string; enabled: boolean; passwordHash: string | null } | null
  recentFailures: number
  failureWindowStartedAt: number
}

/** The account (if any) and the failures counted for it from `ip`. */
export async function findSignInRecord(
  db: Db,
  tenantId: string,
  email: string,
  ip: string,
): Promise<SignInRecord> {
  const row = await db.first<{
    id: string | null
    enabled: number | null
    password_hash: string | null
    failures: number | null
    window_started_at: number | null
  }>(
    `SELECT u.id, u.enabled, u.password_hash, f.failures, f.window_started_at
     FROM (SELECT 1) LEFT JOIN users u ON u.tenant_id = ?1 AND u.email_key = ?2
       LEFT JOIN auth_failures f ON f.key = ?3`,
    tenantId,
    emailKey(email),
    failureKeys.accountFrom(tenantId, email, ip),
  )
  return {
    user:
      row?.id == null
        ? null
        : { id: row.id, enabled: row.enabled === 1, passwordHash: row.password_hash ?? null },
    recentFailures: row?.failures ?? 0,
    failureWindowStartedAt: row?.window_started_at ?? 0,
  }
}
