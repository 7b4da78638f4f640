import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server'
import type { Deps } from '../../deps'
import {
  AUTHENTICATION_CHALLENGE_TTL_SECONDS,
  CEREMONY_TIMEOUT_MS,
  relyingParty,
} from '../../domain/passkeys'
import { insertChallenge } from '../../storage/passkey-challenges'

/**
 * The request options of a sign-in with a passkey (WebAuthn §5.5): the issuer's host as RP ID,
 * user verification required, no `allowCredentials` (the user picks a discoverable credential,
 * also through autofill), and a challenge stored single use for this tenant.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-verifying-assertion WebAuthn §7.2}
 */
export async function startPasskeySignIn(
  deps: Deps,
  tenantId: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const now = deps.now()
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(deps.config.issuer).rpId,
    userVerification: 'required',
    timeout: CEREMONY_TIMEOUT_MS,
  })
  await insertChallenge(deps.db, {
    challenge: options.challenge,
    tenantId,
    ceremony: 'authentication',
    userId: null,
    now,
    expiresAt: now + AUTHENTICATION_CHALLENGE_TTL_SECONDS,
  })
  return options
}
