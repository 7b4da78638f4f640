import type { CookieOptions } from 'hono/utils/cookie'
import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import type { Deps } from '../deps'
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS } from '../domain/session'
import { insertSession, type SessionWithUser } from '../storage/sessions'

/**
 * The session cookie: HttpOnly, Secure, SameSite=None so the hidden iframe of silent renewal
 * still sends it where the browser allows (docs/architecture.md), `__Host-` (path /, this origin).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6265#section-4.1.2 RFC 6265 §4.1.2}
 */
export const SESSION_COOKIE_OPTIONS = {
  prefix: 'host',
  httpOnly: true,
  secure: true,
  sameSite: 'None',
  path: '/',
  maxAge: SESSION_ABSOLUTE_SECONDS,
} as const satisfies CookieOptions

/**
 * Starts a browser session after a successful sign-in (`amr`: how the user authenticated): a 256-bit secret for the route to set in
 * the session cookie ({@link SESSION_COOKIE_OPTIONS}), only its hash in D1 with `auth_time`, an
 * idle and an absolute expiry.
 */
export async function createSession(
  deps: Deps,
  tenantId: string,
  userId: string,
  amr: readonly string[],
): Promise<{ session: SessionWithUser; secret: string }> {
  const now = deps.now()
  const secret = randomToken()
  const session = {
    id: randomId(),
    tenantId,
    userId,
    authTime: now,
    amr,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + SESSION_IDLE_SECONDS,
    expiresAt: now + SESSION_ABSOLUTE_SECONDS,
  }
  await insertSession(deps.db, session, await sha256(secret))
  return { session: { ...session, userEnabled: true }, secret }
}
