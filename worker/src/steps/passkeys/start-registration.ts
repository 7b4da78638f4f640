import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server'
import { generateRegistrationOptions } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import type { Deps } from '../../deps'
import {
  CEREMONY_TIMEOUT_MS,
  PASSKEY_REAUTHENTICATION_SECONDS,
  REGISTRATION_CHALLENGE_TTL_SECONDS,
  relyingParty,
} from '../../domain/passkeys'
import { insertChallenge } from '../../storage/passkey-challenges'
import { listPasskeys, userHandleOf } from '../../storage/passkeys'

/** The signed-in user who asks to add a passkey, as their session tells. */
export interface PasskeyHolder {
  tenantId: string
  userId: string
  email: string
  name: string
  /** When the session's user last proved who they are (the session's `auth_time`). */
  authTime: number
}

/** True when the holder signed in recently enough to add a passkey. */
export function signedInRecently(deps: Pick<Deps, 'now'>, holder: { authTime: number }): boolean {
  return deps.now() - holder.authTime <= PASSKEY_REAUTHENTICATION_SECONDS
}

/**
 * The creation options of a new passkey (WebAuthn §5.4): the issuer's host as RP ID, the user's
 * random handle (never the email, §14.6.1), a discoverable credential with user verification
 * required, no attestation, and the user's passkeys excluded so one authenticator is not added
 * twice. The challenge is stored, single use, for this user only. Answers `'reauthenticate'`
 * when the sign-in is older than five minutes.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-registering-a-new-credential WebAuthn §7.1}
 */
export async function startPasskeyRegistration(
  deps: Deps,
  holder: PasskeyHolder,
): Promise<PublicKeyCredentialCreationOptionsJSON | 'reauthenticate'> {
  if (!signedInRecently(deps, holder)) return 'reauthenticate'
  const { rpId } = relyingParty(deps.config.issuer)
  const now = deps.now()
  const candidate = isoBase64URL.fromBuffer(crypto.getRandomValues(new Uint8Array(32)))
  const [handle, existing] = await Promise.all([
    userHandleOf(deps.db, holder.userId, candidate),
    listPasskeys(deps.db, holder.tenantId, holder.userId),
  ])
  if (handle === null) return 'reauthenticate'
  const options = await generateRegistrationOptions({
    rpName: new URL(deps.config.issuer).host,
    rpID: rpId,
    userName: holder.email,
    userDisplayName: holder.name,
    userID: isoBase64URL.toBuffer(handle),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.id,
      transports: passkey.transports,
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  })
  await insertChallenge(deps.db, {
    challenge: options.challenge,
    tenantId: holder.tenantId,
    ceremony: 'registration',
    userId: holder.userId,
    now,
    expiresAt: now + REGISTRATION_CHALLENGE_TTL_SECONDS,
  })
  return options
}
