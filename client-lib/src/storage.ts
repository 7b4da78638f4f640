/**
 * sessionStorage helpers. sessionStorage is per tab and per origin (HTML §12.2.2), which is what
 * a sign-in transaction needs, and what `storage: 'session'` offers for tokens: they survive a
 * reload of the tab and nothing else. Memory is the default for tokens: nothing is left in Web
 * Storage for a script injected later to read.
 */

/**
 * Reads and removes a JSON value from sessionStorage: a sign-in transaction (state, nonce, PKCE
 * verifier) is single-use (RFC 6749 §10.12, RFC 7636 §4.1).
 *
 * @example
 * const tx = takeJson<{ state: string }>('edge-identity:my-spa:tx')
 */
export function takeJson<T>(key: string): T | undefined {
  const value = readJson<T>(key)
  sessionStorage.removeItem(key)
  return value
}

/**
 * Reads a JSON value from sessionStorage; undefined when absent or unreadable.
 *
 * @example
 * const tokens = readJson<TokenSet>('edge-identity:my-spa')
 */
export function readJson<T>(key: string): T | undefined {
  try {
    // JSON.parse(null) is null: an absent key reads as undefined.
    return JSON.parse(sessionStorage.getItem(key) as string) ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Writes a JSON value to sessionStorage, or removes it when undefined.
 *
 * @example
 * writeJson('edge-identity:my-spa:tx', { state })
 */
export function writeJson(key: string, value: unknown): void {
  if (value === undefined) sessionStorage.removeItem(key)
  else sessionStorage.setItem(key, JSON.stringify(value))
}

/**
 * Reads (`value` omitted), writes or removes (`null`) a localStorage entry, shared by every tab of
 * the origin and kept across reloads; undefined where Web Storage is unavailable. Used only for
 * the session hint, never for a secret.
 *
 * @example
 * const hint = local('edge-identity:my-spa@https://auth.example.com:hint')
 */
export function local(key: string, value?: string | null): string | null | undefined {
  try {
    if (value === undefined) return localStorage.getItem(key)
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    // Storage disabled, or no window (server-side rendering).
  }
  return undefined
}
