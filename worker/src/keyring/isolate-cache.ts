/**
 * How long one request's refresh of an expired value keeps the others on the stale value. Past
 * it (the refreshing request failed, or was cancelled before it could say so), the next request
 * refreshes in its turn.
 */
const REFRESH_CLAIM_MS = 5000

/**
 * A `fresh` load (a token names an unknown key id) happens at most this often: a token with a
 * random `kid` costs nothing to make, and each would otherwise cost a D1 read.
 */
const FRESH_AT_MOST_EVERY_MS = 1000

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
 * or a value that old, each request loads its own. A value's lifetime counts from when its load
 * started (what it read is that old), a load never replaces a value read after it started, and a
 * load that was running when `clear()` was called is not kept.
 */
export class IsolateCache<T> {
  readonly #ttlMs: number
  #entry: { value: T; loadedFrom: number } | undefined
  #refreshClaimedUntil = 0
  /** Bumped by `clear()`: a load begun under an older generation is not kept. */
  #generation = 0

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs
  }

  /** The cached value, else `load()`'s, loaded in this request; `fresh` skips the cache. */
  async get(load: () => Promise<T>, { fresh = false } = {}): Promise<T> {
    const now = Date.now()
    const entry = this.#entry
    if (entry !== undefined) {
      const age = now - entry.loadedFrom
      if (fresh ? age < FRESH_AT_MOST_EVERY_MS : age < this.#ttlMs) return entry.value
      // Stale for at most one more lifetime: when refreshes keep failing (D1 down), a key set
      // removed from D1 must not be trusted for ever.
      const claimed = now < this.#refreshClaimedUntil
      if (!fresh && claimed && age < 2 * this.#ttlMs) return entry.value
    }
    const generation = this.#generation
    this.#refreshClaimedUntil = now + REFRESH_CLAIM_MS
    const value = await load()
    const current = this.#entry
    if (generation === this.#generation && (current === undefined || current.loadedFrom <= now)) {
      this.#entry = { value, loadedFrom: now }
      this.#refreshClaimedUntil = 0
    }
    return value
  }

  /** Forgets the value, and any load running now: the next request loads it again. */
  clear(): void {
    this.#generation++
    this.#entry = undefined
    this.#refreshClaimedUntil = 0
  }
}
