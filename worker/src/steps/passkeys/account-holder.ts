import { sha256 } from '../../crypto/hash'
import type { Deps } from '../../deps'
import { findLiveSession } from '../../storage/sessions'
import { findUser } from '../../storage/users'
import type { PasskeyHolder } from './start-registration'

/**
 * The signed-in user of the account page, from the session cookie's secret: a live session of
 * an enabled user. Null when there is none, so the page asks to sign in.
 */
export async function findAccountHolder(
  deps: Deps,
  secret: string | undefined,
): Promise<PasskeyHolder | null> {
  if (secret === undefined || !/^[\w-]{43}$/.test(secret)) return null
  const session = await findLiveSession(deps.db, await sha256(secret), deps.now())
  if (session === null || !session.userEnabled) return null
  const user = await findUser(deps.db, session.tenantId, session.userId)
  if (user === null) return null
  return {
    tenantId: session.tenantId,
    userId: user.id,
    email: user.email,
    name: user.name,
    authTime: session.authTime,
  }
}
