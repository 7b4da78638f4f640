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

let commonPasswords: Promise<ReadonlySet<string>> | undefined

/**
 * The most common passwords (about 49,000, lower-case), loaded on first use and kept for the
 * isolate's life: the list is large, and most requests never need it. A failed load is not
 * remembered, so the next call tries again.
 * @see {@link https://pages.nist.gov/800-63-4/sp800-63b.html NIST SP 800-63B-4 §3.1.1.2}
 */
export function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())),
    (error: unknown) => {
      commonPasswords = undefined
      throw error
    },
  )
  return commonPasswords
}

/**
 * Why `password` is refused for the account with `email`, or undefined when it is acceptable.
 * The messages are shown to the person choosing the password.
 */
export async function passwordProblem(
  password: string,
  { email }: { email: string },
): Promise<string | undefined> {
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
  if ((await loadCommonPasswords()).has(lower)) {
    return 'This is one of the most common passwords, which attackers try first: choose another'
  }
  return undefined
}
