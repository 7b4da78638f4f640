/**
 * How long one request's refresh of an expired value keeps the others on the stale value. Past
 * it (the refreshing request failed, or was cancelled before it could say so), the next request
 * refreshes in its turn.
 */
const REFRESH_CLAIM_MS = 5000

/**
 * A value kept for the isolate's requests for `ttlMs`, loaded by a request that finds it missing
 * or expired, in that request.
 *
 * Never a promise shared between requests: workerd ties the I/O behind a promise to the request
 * that started it, and a request left waiting on another request's I/O is cancelled as hung
 * ("The Workers runtime canceled this request because it detected that your Worker's code had
 * hung and would never generate a response"), a 500. Under load every expiry did that to the
 * requests that arrived during the refresh (issue 14's bench: 27-29 of them, every few minutes).
 *
 * So: while one request refreshes an expired value, the others keep using the stale one (it
 * expired by policy, not because it is wrong) for at most one more lifetime; with no value at all,
 * or a value that old, each request loads its own.
 */
export class IsolateCache<T> {
  readonly #ttlMs: number
  #entry: { value: T; expiresAt: number } | undefined
  #refreshClaimedUntil = 0

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs
  }

  /** The cached value, else `load()`'s, loaded in this request; `fresh` skips the cache. */
  async get(load: () => Promise<T>, { fresh = false } = {}): Promise<T> {
    const now = Date.now()
    const entry = this.#entry
    if (!fresh && entry !== undefined) {
      if (now < entry.expiresAt) return entry.value
      // Stale for at most one more lifetime: when refreshes keep failing (D1 down), a key set
      // removed from D1 must not be trusted for ever.
      if (now < this.#refreshClaimedUntil && now < entry.expiresAt + this.#ttlMs) return entry.value
    }
    this.#refreshClaimedUntil = now + REFRESH_CLAIM_MS
    const value = await load()
    this.#entry = { value, expiresAt: Date.now() + this.#ttlMs }
    this.#refreshClaimedUntil = 0
    return value
  }

  /** Forgets the value: the next request loads it again. */
  clear(): void {
    this.#entry = undefined
    this.#refreshClaimedUntil = 0
  }
}
