/**
 * A passkey may be added only this soon after the user signed in (re-authentication), so a
 * browser left signed in cannot be given an attacker's passkey.
 */
export const PASSKEY_REAUTHENTICATION_SECONDS = 5 * 60
/** A registration challenge lives as long as the browser's dialog may stay open. */
export const REGISTRATION_CHALLENGE_TTL_SECONDS = 5 * 60
/** A sign-in page may sit open a while before its autofill is used. */
export const AUTHENTICATION_CHALLENGE_TTL_SECONDS = 10 * 60
/** The browser dialog's timeout, in milliseconds (WebAuthn §5.4 `timeout`). */
export const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000
/** A passkey's name, as the user gives it: at most this many characters. */
export const MAX_PASSKEY_NAME_LENGTH = 64

/**
 * The relying party of every tenant: the issuer's host as the RP ID and the issuer's origin as
 * the only origin a ceremony may come from (the server's own pages).
 * @see {@link https://www.w3.org/TR/webauthn-3/#rp-id WebAuthn §5.1.2 RP ID}
 */
export function relyingParty(issuer: string): { rpId: string; origin: string } {
  const url = new URL(issuer)
  return { rpId: url.hostname, origin: url.origin }
}

/**
 * The `amr` values of a sign-in with a passkey: proof of possession of a key (`pop`), which is
 * hardware-bound (`hwk`) unless the authenticator says it may be synced or backed up (`swk`),
 * with the user present (`user`) and verified, which makes it multi-factor (`mfa`: something
 * held and a PIN or biometric, NIST SP 800-63B §5.1.9).
 * @see {@link https://www.rfc-editor.org/rfc/rfc8176#section-2 RFC 8176 §2}
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-credential-backup WebAuthn §6.1.3}
 */
export function passkeyAmr(flags: { backupEligible: boolean; backedUp: boolean }): string[] {
  const key = flags.backupEligible || flags.backedUp ? 'swk' : 'hwk'
  return [key, 'mfa', 'pop', 'user']
}

/** The `amr` of a sign-in with a password. */
export const PASSWORD_AMR: readonly string[] = ['pwd']

/**
 * A passkey name as typed: trimmed, 1 to {@link MAX_PASSKEY_NAME_LENGTH} characters, no control
 * characters. Undefined when it is not acceptable.
 */
export function passkeyName(raw: string | undefined): string | undefined {
  const name = (raw ?? '').trim()
  if (name.length === 0 || name.length > MAX_PASSKEY_NAME_LENGTH) return undefined
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  return /[\u0000-\u001f\u007f-\u009f]/.test(name) ? undefined : name
}

/** A credential id as browsers send it: base64url, 16 to 1023 bytes (WebAuthn §4). */
export function isCredentialId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22,1364}$/.test(value)
}
