import type { AppContext } from '../context'
import { hashPassword, needsRehash, verifyPassword } from '../crypto/password'
import { recordAuthFailure } from '../storage/client-authentication'
import { nowSeconds } from '../storage/db'
import { accountFailureKey, clearAuthFailures, findSignInRecord } from '../storage/sign-in'
import { setUserPasswordHash } from '../storage/users'

/** Failed sign-ins of one account tolerated per window; the next attempt is throttled. */
export const MAX_SIGN_IN_FAILURES = 5
export const SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks an email and password within a tenant. Unknown email, wrong password, disabled account
 * and an account without a password all answer the same `invalid` after the same work (no user
 * enumeration). Failures are counted per account in D1 (consistent; the 6th attempt within 15
 * minutes is throttled, known account or not) and per IP by the platform's rate limiter.
 */
export async function authenticateUser(
  c: AppContext,
  tenantId: string,
  email: string,
  password: string,
): Promise<SignInResult> {
  const db = c.get('db')
  const now = nowSeconds()
  const key = accountFailureKey(tenantId, email)
  const record = await findSignInRecord(db, tenantId, email)
  const windowEnds = record.failureWindowStartedAt + SIGN_IN_FAILURE_WINDOW_SECONDS
  if (record.recentFailures >= MAX_SIGN_IN_FAILURES && now < windowEnds) {
    return { ok: false, reason: 'throttled', retryAfterSeconds: windowEnds - now }
  }

  // An unknown email costs the same PBKDF2 work as a wrong password, so time tells nothing.
  const stored = record.user?.passwordHash ?? (await c.get('services').decoyPasswordHash())
  const matches = await verifyPassword(password, stored)
  const user = record.user
  if (matches && user?.enabled === true && user.passwordHash !== null) {
    await clearAuthFailures(db, key)
    if (needsRehash(user.passwordHash))
      await setUserPasswordHash(db, user.id, await hashPassword(password), now)
    return { ok: true, userId: user.id }
  }

  const ip = c.req.header('CF-Connecting-IP') ?? 'unknown'
  const [failures, byIp] = await Promise.all([
    recordAuthFailure(db, key, now, SIGN_IN_FAILURE_WINDOW_SECONDS),
    c.env.SIGN_IN_FAILURES.limit({ key: `ip:${ip}` }),
  ])
  if (failures === MAX_SIGN_IN_FAILURES)
    c.get('log').warn('user.sign_in_throttled', { tenantId, ip })
  if (!byIp.success) return { ok: false, reason: 'throttled', retryAfterSeconds: 60 }
  return { ok: false, reason: 'invalid' }
}
