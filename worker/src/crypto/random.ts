import { base64url } from 'jose'

/**
 * Bytes of entropy in secrets, codes, refresh tokens and session ids: 256 bits (RFC 6749 §10.10).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.10 RFC 6749 §10.10}
 */
export const TOKEN_BYTES = 32

/**
 * A random, URL-safe token of `bytes` bytes of entropy. Its alphabet (base64url) is a subset of
 * VSCHAR, so it is valid as a code, refresh token or secret (RFC 6749 App. A).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#appendix-A RFC 6749 App. A}
 */
export function randomToken(bytes = TOKEN_BYTES): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** A random identifier (UUID v4) for tenants, users, clients, secrets, grants and keys. */
export function randomId(): string {
  return crypto.randomUUID()
}
