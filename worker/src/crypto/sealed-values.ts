import { base64url } from 'jose'
import { timingSafeEqual } from './hash'
import { deriveFromSecret } from './hkdf'

/**
 * Short-lived values the server hands to the browser and takes back unchanged (the pending
 * authorization request behind a sign-in form): JSON, base64url, HMAC-SHA256 under a key derived
 * with HKDF from KEY_ENCRYPTION_SECRET, with an expiry inside. Integrity only: never secrets.
 */
export class SealedValues {
  readonly #secret: string
  /** A value, not a promise: a promise kept across requests ties them (keyring/isolate-cache.ts). */
  #key: CryptoKey | undefined

  constructor(secret: string) {
    this.#secret = secret
  }

  async seal(purpose: string, value: unknown, ttlSeconds: number): Promise<string> {
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds
    const body = base64url.encode(JSON.stringify({ p: purpose, v: value, exp }))
    return `${body}.${await this.#mac(body)}`
  }

  /** The value, or undefined when the seal is broken, for another purpose, or expired. */
  async open<T>(purpose: string, sealed: string): Promise<T | undefined> {
    const [body, mac] = sealed.split('.')
    if (body === undefined || mac === undefined || !timingSafeEqual(mac, await this.#mac(body))) {
      return undefined
    }
    try {
      const { p, v, exp } = JSON.parse(new TextDecoder().decode(base64url.decode(body))) as {
        p: string
        v: T
        exp: number
      }
      return p === purpose && exp > Date.now() / 1000 ? v : undefined
    } catch {
      return undefined
    }
  }

  async #mac(body: string): Promise<string> {
    this.#key ??= await deriveMacKey(this.#secret)
    const mac = await crypto.subtle.sign('HMAC', this.#key, new TextEncoder().encode(body))
    return base64url.encode(new Uint8Array(mac))
  }
}

function deriveMacKey(secret: string): Promise<CryptoKey> {
  return deriveFromSecret(
    secret,
    'edge-identity sealed values v1',
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    ['sign'],
  )
}
