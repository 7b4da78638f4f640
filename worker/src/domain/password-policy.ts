/**
 * What a new password must be, after NIST SP 800-63B-4 §3.1.1.2: a minimum length, a generous
 * maximum, every Unicode code point counted as one character, no composition rules, and a check
 * against a blocklist of common passwords and context-specific words (here the email address).
 * @see {@link https://pages.nist.gov/800-63-4/sp800-63b.html NIST SP 800-63B-4 §3.1.1.2}
 */
export const PASSWORD_MIN_LENGTH = 10
/** NIST asks to permit at least 64; the cap bounds the PBKDF2 input (hashing is per request). */
export const PASSWORD_MAX_LENGTH = 200
/**
 * The email's local part is refused inside a password only from this length on: a local part
 * such as `jo` would otherwise refuse every password that merely contains those two letters.
 */
const LOCAL_PART_MIN_LENGTH = 3

/** The policy as the set-password page explains it, next to the input. */
export const PASSWORD_POLICY_TEXT =
  `At least ${PASSWORD_MIN_LENGTH} characters, any characters allowed (a phrase of several ` +
  'words is a good choice). It must not contain the name part of your email address, and it ' +
  'must not be one of the passwords attackers try first.'

/** Why a password on the blocklist of common passwords (steps/check-new-password.ts) is refused. */
export const COMMON_PASSWORD_PROBLEM =
  'This is one of the most common passwords, which attackers try first: choose another'

/**
 * The form in which a password is looked up in the blocklist of common passwords: lower-case, as
 * `scripts/common-passwords.mjs` writes the list, so a password is refused whatever its case.
 */
export function commonPasswordKey(password: string): string {
  return password.toLowerCase()
}

/**
 * Why `password` is refused for the account with `email` by the rules that need no data (length,
 * context-specific words), or undefined when it passes them. The blocklist of common passwords
 * lives in D1 and is checked after these rules by `steps/check-new-password.ts`, which is what a
 * route calls. The messages are shown to the person choosing the password.
 */
export function passwordRuleProblem(
  password: string,
  { email }: { email: string },
): string | undefined {
  // NIST SP 800-63B-4 §3.1.1.2: each Unicode code point counts as one character. A code point
  // takes at most two UTF-16 units, so a longer string is too long without counting.
  const length = password.length > 2 * PASSWORD_MAX_LENGTH ? Infinity : [...password].length
  if (length < PASSWORD_MIN_LENGTH) {
    return `The password must have at least ${PASSWORD_MIN_LENGTH} characters`
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `The password must have at most ${PASSWORD_MAX_LENGTH} characters`
  }
  const lower = password.toLowerCase()
  const localPart = email.slice(0, Math.max(0, email.lastIndexOf('@'))).toLowerCase()
  if (
    localPart !== '' &&
    (lower === localPart ||
      ([...localPart].length >= LOCAL_PART_MIN_LENGTH && lower.includes(localPart)))
  ) {
    return 'The password must not contain the part of the email address before the @'
  }
  return undefined
}
