import { sha256, timingSafeEqual } from '../../crypto/hash'
import { randomToken } from '../../crypto/random'
import type { Deps } from '../../deps'
import { OAuthError } from '../../errors'
import {
  type ClientRegistration,
  deleteRegisteredClient,
  findRegistration,
  rotateRegistrationToken,
} from '../../storage/client-registrations'
import { registrationChallenge } from './register-client'
import { registrationResponse } from './registration-response'

const refused = () =>
  new OAuthError('invalid_token', 'The registration access token is not valid', {
    headers: registrationChallenge('invalid_token'),
  })

/**
 * The registration a registration access token manages (RFC 7592 §2): a missing token, a wrong
 * one, or a client that does not exist (or is not a dynamic one) are all 401 invalid_token, so
 * the answer tells nothing about which client ids exist (§2: "MUST respond with 401").
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2 RFC 7592 §2}
 */
async function authenticateRegistration(
  deps: Deps,
  clientId: string,
  token: string | undefined,
): Promise<{ registration: ClientRegistration; tokenHash: string }> {
  if (token === undefined) {
    throw new OAuthError('invalid_token', 'A registration access token is required', {
      headers: registrationChallenge(),
    })
  }
  const tokenHash = await sha256(token)
  const registration = await findRegistration(deps.db, clientId)
  if (registration === null || !timingSafeEqual(tokenHash, registration.tokenHash)) throw refused()
  return { registration, tokenHash }
}

/**
 * Reads a registration (RFC 7592 §2.1): the client information response, with a new registration
 * access token that replaces the one presented (§3; only hashes are stored).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2.1 RFC 7592 §2.1}
 */
export async function readRegistration(
  deps: Deps,
  clientId: string,
  token: string | undefined,
): Promise<Record<string, unknown>> {
  const { registration, tokenHash } = await authenticateRegistration(deps, clientId, token)
  const next = randomToken()
  if (!(await rotateRegistrationToken(deps.db, clientId, tokenHash, await sha256(next)))) {
    throw refused()
  }
  return registrationResponse(deps.config.issuer, registration.client, registration.metadata, next)
}

/**
 * Deletes a registration and its client (RFC 7592 §2.3): codes, grants and refresh tokens go
 * with it, so its tokens stop working.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2.3 RFC 7592 §2.3}
 */
export async function deleteRegistration(
  deps: Deps,
  clientId: string,
  token: string | undefined,
): Promise<void> {
  const { registration } = await authenticateRegistration(deps, clientId, token)
  const outcome = await deleteRegisteredClient(deps.db, clientId, {
    tenantId: registration.client.tenantId,
    actorType: 'client',
    actorId: clientId,
    action: 'client.registration_deleted',
    targetType: 'client',
    targetId: clientId,
    requestId: deps.requestId,
    occurredAt: deps.now(),
  })
  if (outcome === 'not-found') throw refused()
}
