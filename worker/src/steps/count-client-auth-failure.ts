import type { Deps } from '../deps'
import { OAuthError } from '../errors'
import { recordAudit } from '../storage/audit'
import { failureKeys, recordAuthFailures } from '../storage/auth-failures'
import type { FailureWindow } from '../storage/client-authentication'

/** Failed authentications of one client id from one address tolerated per window. */
export const MAX_CLIENT_AUTH_FAILURES = 20
export const CLIENT_AUTH_FAILURE_WINDOW_SECONDS = 300

/** Whether an address has failed too often for a client within the current window (D08). */
export function isLockedOut(window: FailureWindow, now: number): boolean {
  return (
    window.failures >= MAX_CLIENT_AUTH_FAILURES &&
    now < window.startedAt + CLIENT_AUTH_FAILURE_WINDOW_SECONDS
  )
}

/**
 * Counts a failed client authentication: always with the platform's limiter, per client id and
 * per address (429 with Retry-After past its limit); for a known client also in D1, per client
 * and address (the lockout, D08) and in total per client (the alert at exactly the limit: a
 * warning log and an audit event the tenant's administrators see). Throws 429 when this failure
 * locks the address out.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.10 RFC 6749 §10.10}
 */
export async function countClientAuthFailure(
  deps: Deps,
  failure: { clientId: string; tenantId: string | undefined; ip: string; now: number },
): Promise<void> {
  const { clientId, tenantId, ip, now } = failure
  const limiter = deps.limiters.clientAuthFailures
  const [byClient, byIp] = await Promise.all([
    limiter.limit({ key: `client:${clientId}` }),
    limiter.limit({ key: `ip:${ip}` }),
  ])
  if (tenantId !== undefined) {
    const [fromHere = 0, total = 0] = await recordAuthFailures(
      deps.db,
      [failureKeys.clientFrom(clientId, ip), failureKeys.client(clientId)],
      now,
      CLIENT_AUTH_FAILURE_WINDOW_SECONDS,
    )
    if (total === MAX_CLIENT_AUTH_FAILURES) {
      // The alert: a log line at warn level and an audit event the tenant's admins can see.
      deps.log.warn('client.auth_failures', { clientId, tenantId, ip })
      await recordAudit(deps.db, {
        tenantId,
        actorType: 'system',
        actorId: null,
        action: 'client.auth_failures',
        targetType: 'client',
        targetId: clientId,
        requestId: deps.requestId,
        details: { failures: total, windowSeconds: CLIENT_AUTH_FAILURE_WINDOW_SECONDS, lastIp: ip },
        occurredAt: now,
      })
    }
    if (fromHere >= MAX_CLIENT_AUTH_FAILURES) {
      throw tooManyFailures(CLIENT_AUTH_FAILURE_WINDOW_SECONDS)
    }
  }
  if (!byClient.success || !byIp.success) throw tooManyFailures(60)
}

/** The answer to an address locked out or over the limiter's bound. */
export function tooManyFailures(retryAfterSeconds: number): OAuthError {
  return new OAuthError('invalid_client', 'Too many failed authentications, retry later', {
    status: 429,
    headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  })
}
