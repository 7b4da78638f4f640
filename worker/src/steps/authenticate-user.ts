import type { AppContext } from '../context'
import { hashPassword, needsRehash, verifyPassword } from '../crypto/password'
import { clearAuthFailures, failureKeys, recordAuthFailures } from '../storage/auth-failures'
import { nowSeconds } from '../storage/db'
import { findSignInRecord } from '../storage/sign-in'
import { setUserPasswordHash } from '../storage/users'
import { clientIp } from './client-ip'

/** Failed sign-ins of one account from one address tolerated per window; the next is throttled. */
export const MAX_SIGN_IN_FAILURES = 5
export const SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60
/** Failed sign-ins of one account from everywhere that raise the alert. */
export const SIGN_IN_FAILURE_ALERT = 20

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks an email and password within a tenant. Unknown email, wrong password, disabled account
 * and an account without a password all answer the same `invalid` after the same work (no user
 * enumeration). Failures are counted in D1 per account and address: the 6th attempt within 15
 * minutes from that address is throttled, known account or not, while the user can still sign
 * in from elsewhere (no lockout by a stranger). The account's total raises an alert, and the
 * platform's rate limiter bounds each address's failures across accounts.
 */
export async function authenticateUser(
  c: AppContext,
  tenantId: string,
  email: string,
  password: string,
): Promise<SignInResult> {
  const db = c.get('db')
  const now = nowSeconds()
  const ip = clientIp(c)
  const record = await findSignInRecord(db, tenantId, email, ip)
  const windowEnds = record.failureWindowStartedAt + SIGN_IN_FAILURE_WINDOW_SECONDS
  if (record.recentFailures >= MAX_SIGN_IN_FAILURES && now < windowEnds) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: windowEnds - now }
  }

  // An unknown email costs the same PBKDF2 work as a wrong password, so time tells nothing.
  const stored = record.user?.passwordHash ?? (await c.get('services').decoyPasswordHash())
  const matches = await verifyPassword(password, stored)
  const user = record.user
  const fromHere = failureKeys.accountFrom(tenantId, email, ip)
  if (matches && user?.enabled === true && user.passwordHash !== null) {
    await clearAuthFailures(db, [fromHere])
    if (needsRehash(user.passwordHash)) {
      await setUserPasswordHash(db, user.id, await hashPassword(password), now)
    }
    return { ok: true, userId: user.id }
  }

  const [[, total = 0], byIp] = await Promise.all([
    recordAuthFailures(
      db,
      [fromHere, failureKeys.account(tenantId, email)],
      now,
      SIGN_IN_FAILURE_WINDOW_SECONDS,
    ),
    c.env.SIGN_IN_FAILURES.limit({ key: `ip:${ip}` }),
  ])
  if (total === SIGN_IN_FAILURE_ALERT)
    c.get('log').warn('user.sign_in_failures', { tenantId, total, ip })
  if (!byIp.success) return { ok: false, reason: 'throttled', retryAfterSeconds: 60 }
  return { ok: false, reason: 'invalid' }
}
