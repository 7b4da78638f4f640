import { base64url } from 'jose'
import { deriveFromSecret } from './hkdf'

/**
 * Encryption at rest of private signing keys: AES-256-GCM under a key derived with HKDF-SHA256
 * from the KEY_ENCRYPTION_SECRET Workers secret. The key id is bound as additional data, so a
 * ciphertext copied onto another key's row does not decrypt.
 * Format: `v1.<iv>.<ciphertext>` (base64url), versioned so the scheme can change.
 */
const VERSION = 'v1'
const IV_BYTES = 12

export function deriveKeyEncryptionKey(secret: string): Promise<CryptoKey> {
  return deriveFromSecret(
    secret,
    'edge-identity signing-key encryption v1',
    { name: 'AES-GCM', length: 256 },
    ['encrypt', 'decrypt'],
  )
}

export async function encryptWithKey(
  key: CryptoKey,
  plaintext: string,
  associatedData: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(associatedData) },
    key,
    new TextEncoder().encode(plaintext),
  )
  return `${VERSION}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(ciphertext))}`
}

/** Throws when the value was not produced by `encryptWithKey` with this key and data. */
export async function decryptWithKey(
  key: CryptoKey,
  sealed: string,
  associatedData: string,
): Promise<string> {
  const [version, iv, ciphertext] = sealed.split('.')
  if (version !== VERSION || iv === undefined || ciphertext === undefined) {
    throw new Error('unknown encrypted key format')
  }
  const plaintext = await crypto.subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: base64url.decode(iv),
      additionalData: new TextEncoder().encode(associatedData),
    },
    key,
    base64url.decode(ciphertext),
  )
  return new TextDecoder().decode(plaintext)
}
