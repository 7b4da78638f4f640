import { type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import type { Deps } from '../../deps'
import { relyingParty } from '../../domain/passkeys'
import { consumeChallenge } from '../../storage/passkey-challenges'
import { insertPasskey } from '../../storage/passkeys'
import { parseCredential } from './parse-credential'
import { type PasskeyHolder, signedInRecently } from './start-registration'

const ATTACHMENTS = new Set(['platform', 'cross-platform'])

export type RegistrationOutcome = 'added' | 'failed' | 'duplicate' | 'limit' | 'reauthenticate'

/**
 * Checks the browser's answer to the creation options and stores the passkey (WebAuthn §7.1):
 * the challenge is one this server issued to this user for a registration, unexpired and
 * consumed now (single use, whatever the outcome); the type, the origin (the issuer's), the RP ID
 * hash, user presence and user verification; the public key's algorithm. Attestation is not
 * asked for (`none`). Any failure is `'failed'`, never an exception.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-registering-a-new-credential WebAuthn §7.1}
 */
export async function finishPasskeyRegistration(
  deps: Deps,
  holder: PasskeyHolder,
  input: { credential: string | undefined; name: string },
): Promise<RegistrationOutcome> {
  if (!signedInRecently(deps, holder)) return 'reauthenticate'
  const response = parseCredential<RegistrationResponseJSON>(input.credential)
  if (response === undefined) return 'failed'
  const { rpId, origin } = relyingParty(deps.config.issuer)
  const now = deps.now()
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: (challenge) =>
        consumeChallenge(deps.db, {
          challenge,
          tenantId: holder.tenantId,
          ceremony: 'registration',
          userId: holder.userId,
          now,
        }),
      expectedOrigin: origin,
      expectedRPID: rpId,
      expectedType: 'webauthn.create',
      requireUserVerification: true,
    })
  } catch (error) {
    deps.log.info('passkey.registration_refused', { reason: String(error) })
    return 'failed'
  }
  const info = verified.registrationInfo
  if (!verified.verified || info === undefined || !info.userVerified) return 'failed'
  const { credential } = info
  const written = await insertPasskey(
    deps.db,
    {
      id: credential.id,
      tenantId: holder.tenantId,
      userId: holder.userId,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      signCount: credential.counter,
      transports: credential.transports ?? [],
      backupEligible: info.credentialDeviceType === 'multiDevice',
      backedUp: info.credentialBackedUp,
      attachment: ATTACHMENTS.has(String(response.authenticatorAttachment))
        ? String(response.authenticatorAttachment)
        : null,
      name: input.name,
      createdAt: now,
      lastUsedAt: null,
    },
    {
      tenantId: holder.tenantId,
      actorType: 'user',
      actorId: holder.userId,
      action: 'passkey.created',
      targetType: 'user',
      targetId: holder.userId,
      requestId: deps.requestId,
      details: { credentialId: credential.id, name: input.name },
      occurredAt: now,
    },
  )
  return written === 'written' ? 'added' : written
}
