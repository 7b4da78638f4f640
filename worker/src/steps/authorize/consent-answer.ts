import { sha256 } from '../../crypto/hash'
import type { Deps } from '../../deps'
import { findLiveSession, type SessionWithUser } from '../../storage/sessions'
import type { AuthorizationRequest } from './authorization-request'
import { authorizePageErrors } from './authorize-errors'
import { openConsentInteraction } from './interaction'

/**
 * The pending request a consent form answers, and the session answering it: the sealed request
 * must be intact and unexpired ("Consent expired" otherwise), and the browser must hold a live
 * session of the very user the page was shown to (refused otherwise: a form made for one user
 * is never an answer for another). The route checks CSRF before this.
 */
export async function openConsentAnswer(
  deps: Deps,
  sealed: string | undefined,
  sessionSecret: string | undefined,
): Promise<{ request: AuthorizationRequest; session: SessionWithUser }> {
  const pending = await openConsentInteraction(deps, sealed)
  if (pending === undefined) throw authorizePageErrors.consentExpired()
  const session =
    sessionSecret === undefined
      ? null
      : await findLiveSession(deps.db, await sha256(sessionSecret), deps.now())
  if (session === null || session.userId !== pending.userId || !session.userEnabled) {
    throw authorizePageErrors.consentRefused()
  }
  return { request: pending.request, session }
}
