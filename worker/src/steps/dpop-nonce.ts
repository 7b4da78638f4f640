import type { Deps } from '../deps'
import { DPOP_NONCE_LIFETIME_SECONDS } from '../domain/dpop'

const PURPOSE = 'dpop-nonce'
const MAX_NONCE_LENGTH = 512

/**
 * A fresh server nonce for DPoP proofs (RFC 9449 §8): a sealed value (HMAC-SHA256 under a key
 * derived from KEY_ENCRYPTION_SECRET, crypto/sealed-values.ts) that carries its own expiry. It is
 * stateless, so a nonce given by one isolate is accepted by any other, with no store to share.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-8 RFC 9449 §8}
 */
export function issueDpopNonce(deps: Deps): Promise<string> {
  return deps.sealed.seal(PURPOSE, 1, DPOP_NONCE_LIFETIME_SECONDS)
}

/** Whether a proof's `nonce` is one this server issued and that has not expired. */
export async function isCurrentDpopNonce(deps: Deps, nonce: string): Promise<boolean> {
  if (nonce.length > MAX_NONCE_LENGTH) return false
  return (await deps.sealed.open<number>(PURPOSE, nonce)) === 1
}
