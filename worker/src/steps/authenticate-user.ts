import { hashPassword, needsRehash, verifyPassword } from '../crypto/password'
import type { Deps } from '../deps'
import { addressKey } from '../domain/address-key'
import { PASSWORD_AMR } from '../domain/passkeys'
import {
  type AttemptCounter,
  failureKeys,
  type Reservation,
  releaseAttempt,
} from '../storage/auth-failures'
import { reserveSignInAttempt } from '../storage/sign-in'
import { setUserPasswordHash } from '../storage/users'

/** Failed sign-ins of one account from one address tolerated per window; the next is throttled. */
export const MAX_SIGN_IN_FAILURES = 5
export const SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60
/** Failed sign-ins from one address, whatever the account, tolerated per window. */
export const MAX_ADDRESS_SIGN_IN_FAILURES = 20
export const ADDRESS_SIGN_IN_FAILURE_WINDOW_SECONDS = 60
/** Failed sign-ins of one account from everywhere that raise the alert. */
export const SIGN_IN_FAILURE_ALERT = 20

export type SignInResult =
  /** `amr`: how the user authenticated (RFC 8176 values). */
  | { ok: true; userId: string; amr: readonly string[] }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks an email and password within a tenant, from the caller's address `ip`. Unknown email,
 * wrong password, disabled account and an account without a password all answer the same
 * `invalid` after the same work (no user enumeration). Before any password work, the attempt is
 * reserved as a failure in D1, atomically, per account and address (the 6th within 15 minutes
 * is throttled, known account or not, while the user can still sign in from elsewhere) and per
 * address across accounts; a throttled attempt is never checked, so even the right password gets
 * no session. IPv6 addresses count per /64. A success gives the attempt back; the account's total
 * from everywhere raises an alert.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.16 RFC 9700 §4.16}
 */
export async function authenticateUser(
  deps: Deps,
  tenantId: string,
  email: string,
  password: string,
  ip: string,
): Promise<SignInResult> {
  const now = deps.now()
  const { counters, fromHere, total } = signInCounters(tenantId, email, addressKey(ip))
  const attempt = await reserveSignInAttempt(deps.db, tenantId, email, counters, now)
  if (attempt.reservation === undefined) return throttled(attempt.refusedUntil, now)

  // An unknown email costs the same PBKDF2 work as a wrong password, so time tells nothing.
  const { user, reservation } = attempt
  const matches = await verifyPassword(
    password,
    user?.passwordHash ?? (await deps.decoyPasswordHash()),
  )
  if (matches && user?.enabled === true && user.passwordHash !== null) {
    await releaseAttempt(deps.db, reservation, [fromHere])
    if (needsRehash(user.passwordHash)) {
      await setUserPasswordHash(deps.db, user.id, await hashPassword(password), now)
    }
    return { ok: true, userId: user.id, amr: PASSWORD_AMR }
  }
  return signInFailed(deps, reservation, total, { tenantId, ip })
}

/**
 * The failure counters of a sign-in to the account `email` of a tenant from an address key: the
 * account from this address (locks out), the address across accounts (locks out), the account's
 * total (alert only). `fromHere` is given back on success. Passkey sign-ins count under the same.
 */
export function signInCounters(tenantId: string, email: string, address: string) {
  const fromHere = failureKeys.accountFrom(tenantId, email, address)
  const total = failureKeys.account(tenantId, email)
  const counters: AttemptCounter[] = [
    {
      key: fromHere,
      maxFailures: MAX_SIGN_IN_FAILURES,
      windowSeconds: SIGN_IN_FAILURE_WINDOW_SECONDS,
    },
    {
      key: failureKeys.signInsFrom(address),
      maxFailures: MAX_ADDRESS_SIGN_IN_FAILURES,
      windowSeconds: ADDRESS_SIGN_IN_FAILURE_WINDOW_SECONDS,
    },
    { key: total, maxFailures: null, windowSeconds: SIGN_IN_FAILURE_WINDOW_SECONDS },
  ]
  return { counters, fromHere, total }
}

/** The answer to a sign-in refused by its counters, with when it may be tried again. */
export function throttled(refusedUntil: number, now: number): SignInResult {
  return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, refusedUntil - now) }
}

/** A failed sign-in, whose reserved attempt stays counted; raises the alert at the threshold. */
export function signInFailed(
  deps: Deps,
  reservation: Reservation,
  total: string,
  facts: { tenantId: string; ip: string },
): SignInResult {
  const failures = reservation.get(total)?.failures
  if (failures === SIGN_IN_FAILURE_ALERT) {
    deps.log.warn('user.sign_in_failures', {
      tenantId: facts.tenantId,
      total: failures,
      ip: facts.ip,
    })
  }
  return { ok: false, reason: 'invalid' }
}
