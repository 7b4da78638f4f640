import { base64url } from 'jose'

/** RFC 7636 §4.2: an S256 challenge is BASE64URL(SHA256(verifier)): 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/
/** RFC 7636 §4.1: code_verifier = 43*128unreserved. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/

export function isS256Challenge(value: string): boolean {
  return S256_CHALLENGE.test(value)
}

export function isCodeVerifier(value: string): boolean {
  return CODE_VERIFIER.test(value)
}

/**
 * BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.2 RFC 7636 §4.2}
 */
export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return base64url.encode(new Uint8Array(digest))
}
