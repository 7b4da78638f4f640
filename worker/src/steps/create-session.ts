import { setCookie } from 'hono/cookie'
import type { AppContext } from '../context'
import { sha256 } from '../crypto/hash'
import { randomId, randomToken } from '../crypto/random'
import {
  SESSION_ABSOLUTE_SECONDS,
  SESSION_COOKIE_NAME,
  SESSION_IDLE_SECONDS,
} from '../domain/session'
import { insertSession, type SessionWithUser } from '../storage/sessions'

/**
 * Starts a browser session after a successful sign-in: a 256-bit secret in a `__Host-session`
 * cookie (HttpOnly, Secure, SameSite=None so the hidden iframe of silent renewal still sends it
 * where the browser allows; ARCHITECTURE.md), only its hash in D1 with `auth_time`, an idle and
 * an absolute expiry.
 */
export async function createSession(
  c: AppContext,
  tenantId: string,
  userId: string,
  now: number,
): Promise<SessionWithUser> {
  const secret = randomToken()
  const session = {
    id: randomId(),
    tenantId,
    userId,
    authTime: now,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + SESSION_IDLE_SECONDS,
    expiresAt: now + SESSION_ABSOLUTE_SECONDS,
  }
  await insertSession(c.get('db'), session, await sha256(secret))
  setCookie(c, SESSION_COOKIE_NAME, secret, {
    prefix: 'host',
    httpOnly: true,
    secure: true,
    sameSite: 'None',
    path: '/',
    maxAge: SESSION_ABSOLUTE_SECONDS,
  })
  return { ...session, userEnabled: true }
}
