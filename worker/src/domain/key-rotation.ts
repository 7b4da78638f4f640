import type { SigningAlg } from '../crypto/signing-keys'

/** How long a key signs before the daily job replaces it. */
export const KEY_ROTATION_INTERVAL_SECONDS = 30 * 24 * 3600
/**
 * How long a next key is published in the JWKS before it may sign: longer than the JWKS
 * `max-age` plus the KV cache, so verifiers know it before they meet it (OIDC Core §10.1.1).
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys
 *   OIDC Core §10.1.1}
 */
export const KEY_PREPUBLICATION_SECONDS = 24 * 3600
/**
 * How long a retired key stays in the JWKS: longer than any token it signed can live
 * (access and ID tokens live at most an hour) plus verifiers' JWKS caches.
 */
export const KEY_RETENTION_SECONDS = 24 * 3600

export interface KeyState {
  kid: string
  state: 'next' | 'active' | 'retired'
  createdAt: number
  activatedAt: number | null
}

export interface RotationOptions {
  /** Rotate now, whatever the keys' ages (an operator's decision). */
  force?: boolean
  /** With force: drop the previous key from the JWKS at once (suspected compromise). */
  revokePrevious?: boolean
}

export interface Promotion {
  activeKid: string | undefined
  nextKid: string
  /** When the key being retired leaves the JWKS. */
  deleteAfter: number
}

/**
 * Decides whether the next key of one algorithm replaces the active one now: when the active key
 * has signed for KEY_ROTATION_INTERVAL_SECONDS and the next key has been published for
 * KEY_PREPUBLICATION_SECONDS, when there is no active key, or when the operator forces it.
 */
export function planPromotion(
  keys: readonly KeyState[],
  now: number,
  options: RotationOptions = {},
): Promotion | undefined {
  const active = keys.find((k) => k.state === 'active')
  const next = keys.find((k) => k.state === 'next')
  if (next === undefined) return undefined
  const activeAge = active === undefined ? Infinity : now - (active.activatedAt ?? active.createdAt)
  const due =
    options.force === true ||
    active === undefined ||
    (activeAge >= KEY_ROTATION_INTERVAL_SECONDS &&
      now - next.createdAt >= KEY_PREPUBLICATION_SECONDS)
  if (!due) return undefined
  // A revoked key (suspected compromise) leaves the JWKS at once: tokens it signed, forged ones
  // included, stop verifying. Otherwise it stays as long as any token it signed may live.
  const deleteAfter = options.revokePrevious === true ? now : now + KEY_RETENTION_SECONDS
  return { activeKid: active?.kid, nextKid: next.kid, deleteAfter }
}

export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256']
