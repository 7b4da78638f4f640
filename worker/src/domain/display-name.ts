import * as z from 'zod'

/**
 * Whether a name holds a character that is not text: a C0 or C1 control character
 * (U+0000-U+001F, U+007F-U+009F) or a bidirectional embedding, override or isolate
 * (U+202A-U+202E, U+2066-U+2069). Names are shown in the portal, the audit log and consent
 * pages: a newline forges a log line, a right-to-left override makes `exe.txt` read as
 * `txt.exe` (Unicode TR #36 §2.1, "Trojan Source" CVE-2021-42574).
 */
export function hasControlCharacter(name: string): boolean {
  for (const character of name) {
    const code = character.codePointAt(0) ?? 0
    if (
      code <= 0x1f ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    ) {
      return true
    }
  }
  return false
}

/** The field error of a name that `hasControlCharacter` refuses. */
export const CONTROL_CHARACTER_DETAIL =
  'Must not contain control or bidirectional override characters'

/**
 * The schema of a name people read (tenant, client, role, user), at most 200 characters once
 * trimmed. Control and bidi characters are looked for before trimming, so a trailing newline is
 * refused rather than quietly cut (checklist N09).
 */
export const displayName = () =>
  z
    .string()
    .refine((value) => !hasControlCharacter(value), CONTROL_CHARACTER_DETAIL)
    .trim()
    .max(200)

/** A name that must not be empty. */
export const requiredName = () => displayName().min(1, 'Required')
