import { base64url } from 'jose'

const encoder = new TextEncoder()

/**
 * SHA-256 of a high-entropy value (secret, code, token, session id), base64url.
 * At 256 bits of entropy a fast hash is enough; a slow password hash would cost ~11 ms of CPU
 * per token request (docs/architecture.md "Tokens, keys, sessions").
 */
export async function sha256(value: string): Promise<string> {
  return base64url.encode(
    new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value))),
  )
}

/**
 * Compares two strings in time that depends only on their length, never on where they differ
 * (checklist D07). Use it for hashes and PKCE values, whose lengths are not secret.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  let difference = left.length ^ right.length
  for (let i = 0; i < left.length; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0)
  return difference === 0
}
