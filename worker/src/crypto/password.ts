import { base64url } from 'jose'
import { timingSafeEqual } from './hash'

/**
 * PBKDF2-SHA256 at the most iterations workerd allows (100,000). The stored format is versioned
 * (`pbkdf2-sha256$<iterations>$<salt>$<hash>`) so the scheme can be upgraded on the next sign-in.
 */
export const PASSWORD_ITERATIONS = 100_000
const SCHEME = 'pbkdf2-sha256'
const SALT_BYTES = 16
const HASH_BITS = 256

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password.normalize('NFKC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  )
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    HASH_BITS,
  )
  return base64url.encode(new Uint8Array(bits))
}

/**
 * What an unknown email's password is checked against: a well-formed hash at today's iterations
 * that no password derives to (its bits were never derived). A constant, so the first unknown
 * email in an isolate costs one PBKDF2 like any wrong password, never a second one to make it
 * (checklist N02: no user enumeration by time).
 */
export const DECOY_PASSWORD_HASH = `${SCHEME}$${PASSWORD_ITERATIONS}$${'A'.repeat(22)}$${'A'.repeat(43)}`

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const hash = await derive(password, salt, PASSWORD_ITERATIONS)
  return `${SCHEME}$${PASSWORD_ITERATIONS}$${base64url.encode(salt)}$${hash}`
}

/** True when `password` matches `stored`. An unreadable stored value never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, expected] = stored.split('$')
  if (
    scheme !== SCHEME ||
    iterations === undefined ||
    salt === undefined ||
    expected === undefined
  ) {
    return false
  }
  const actual = await derive(password, base64url.decode(salt), Number(iterations))
  return timingSafeEqual(actual, expected)
}

/** True when the stored hash was made with weaker parameters and should be replaced. */
export function needsRehash(stored: string): boolean {
  const [scheme, iterations] = stored.split('$')
  return scheme !== SCHEME || Number(iterations) < PASSWORD_ITERATIONS
}
