import {
  type AuthenticationResponseJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server'
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers'
import type { Deps } from '../../deps'
import { addressKey } from '../../domain/address-key'
import { passkeyAmr, relyingParty } from '../../domain/passkeys'
import { releaseAttempt } from '../../storage/auth-failures'
import { consumeChallenge } from '../../storage/passkey-challenges'
import { findPasskeyOwner, type PasskeyOwner, recordPasskeyUse } from '../../storage/passkeys'
import { reserveSignInAttempt } from '../../storage/sign-in'
import { type SignInResult, signInCounters, signInFailed, throttled } from '../authenticate-user'
import { parseCredential } from './parse-credential'

/**
 * Signs a user in with a passkey: the browser's answer to the request options (WebAuthn §7.2).
 * The attempt is reserved under the same failure counters as a password sign-in (the account the
 * credential belongs to, from this address; the address across accounts) before any signature
 * work, and a throttled attempt is never checked. Then: the challenge is one this server issued
 * for a sign-in in this tenant, unexpired, and consumed now (single use, checklist M01); the
 * credential is registered in this tenant, to an enabled user whose handle the authenticator
 * returned; type, origin (the issuer's), RP ID hash, user presence and verification, signature,
 * and a signature counter that grew (or is zero, as synced passkeys keep it). Every failure,
 * malformed input included, answers the same `invalid` as a wrong password.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-verifying-assertion WebAuthn §7.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.16 RFC 9700 §4.16}
 */
export async function authenticatePasskey(
  deps: Deps,
  tenantId: string,
  credential: string | undefined,
  ip: string,
): Promise<SignInResult> {
  const now = deps.now()
  const response = parseCredential<AuthenticationResponseJSON>(credential)
  const owner =
    response === undefined ? null : await findPasskeyOwner(deps.db, tenantId, response.id)
  // An unknown credential counts under no account ('' is no email), and under the address.
  const email = owner?.email ?? ''
  const { counters, fromHere, total } = signInCounters(tenantId, email, addressKey(ip))
  const attempt = await reserveSignInAttempt(deps.db, tenantId, email, counters, now)
  if (attempt.reservation === undefined) return throttled(attempt.refusedUntil, now)

  const checked =
    response === undefined ? undefined : await checkAssertion(deps, tenantId, response, owner)
  if (checked === undefined || owner === null) {
    return signInFailed(deps, attempt.reservation, total, { tenantId, ip })
  }
  await releaseAttempt(deps.db, attempt.reservation, [fromHere])
  return { ok: true, userId: owner.passkey.userId, amr: passkeyAmr(checked) }
}

/** The assertion's checks; the credential's backup flags when all pass, else undefined. */
async function checkAssertion(
  deps: Deps,
  tenantId: string,
  response: AuthenticationResponseJSON,
  owner: PasskeyOwner | null,
): Promise<{ backupEligible: boolean; backedUp: boolean } | undefined> {
  const now = deps.now()
  const challenge = readChallenge(response)
  // Consumed first, whatever follows: a challenge answers at most one assertion.
  if (challenge === undefined) return undefined
  const fresh = await consumeChallenge(deps.db, {
    challenge,
    tenantId,
    ceremony: 'authentication',
    userId: null,
    now,
  })
  if (!fresh || owner === null || !owner.enabled) return undefined
  // No allowCredentials was sent, so the user handle must be present and be the owner's (§7.2).
  if (owner.userHandle === null || response.response.userHandle !== owner.userHandle) {
    return undefined
  }
  const { passkey } = owner
  const { rpId, origin } = relyingParty(deps.config.issuer)
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      expectedType: 'webauthn.get',
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.signCount,
        transports: passkey.transports as never,
      },
      requireUserVerification: true,
    })
    const info = verified.authenticationInfo
    if (!verified.verified || !info.userVerified) return undefined
    const recorded = await recordPasskeyUse(deps.db, {
      id: passkey.id,
      previousCount: passkey.signCount,
      newCount: info.newCounter,
      backedUp: info.credentialBackedUp,
      now,
    })
    if (!recorded) return undefined
    return { backupEligible: passkey.backupEligible, backedUp: info.credentialBackedUp }
  } catch (error) {
    deps.log.info('passkey.assertion_refused', { reason: String(error) })
    return undefined
  }
}

/** The challenge the client data carries, or undefined when it cannot be read. */
function readChallenge(response: AuthenticationResponseJSON): string | undefined {
  try {
    const { challenge } = decodeClientDataJSON(response.response.clientDataJSON)
    return typeof challenge === 'string' && challenge.length <= 512 ? challenge : undefined
  } catch {
    return undefined
  }
}
