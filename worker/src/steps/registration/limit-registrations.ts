import type { Deps } from '../../deps'
import { OAuthError } from '../../errors'
import {
  type AttemptCounter,
  readReservation,
  refusedUntilStatement,
  reserveAttemptStatement,
} from '../../storage/auth-failures'

/** Registration requests one address may make per window (RFC 7591 §3 leaves limits to us). */
export const MAX_REGISTRATIONS_PER_ADDRESS = 10
export const REGISTRATION_WINDOW_SECONDS = 3600

/**
 * Counts a registration request against its address (IPv6 per /64) in D1, before any token or
 * metadata work: the consistent counters of sign-in (storage/auth-failures.ts), so concurrent
 * requests cannot pass the limit. Past it: 429 with Retry-After until the window ends. Failed
 * attempts count too, which also bounds guessing of initial access tokens. The per-token limit
 * is the token's own `max_uses`.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6585#section-4 RFC 6585 §4}
 */
export async function limitRegistrations(deps: Deps, address: string, now: number): Promise<void> {
  const counters: AttemptCounter[] = [
    {
      key: `registrations@${address}`,
      maxFailures: MAX_REGISTRATIONS_PER_ADDRESS,
      windowSeconds: REGISTRATION_WINDOW_SECONDS,
    },
  ]
  const [reserved] = await deps.db.batch([reserveAttemptStatement(deps.db, counters, now)])
  if (readReservation(reserved) !== undefined) return
  const [refused] = await deps.db.batch([refusedUntilStatement(deps.db, counters, now)])
  const until = (refused?.results[0] as { refused_until: number | null } | undefined)?.refused_until
  throw new OAuthError('temporarily_unavailable', 'Too many registrations, retry later', {
    status: 429,
    headers: { 'Retry-After': String(Math.max(1, (until ?? now + 60) - now)) },
  })
}
