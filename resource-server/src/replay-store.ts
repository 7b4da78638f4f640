/**
 * Remembers the DPoP proofs a resource accepted, so none is accepted twice (RFC 9449 §11.1).
 * `record` answers true the first time a key is seen and false for a replay; `expiresAt`
 * (seconds since the epoch) is when the proof's `iat` window has passed and the entry may go.
 * Implement it on a Durable Object or D1 (one conditional insert) to refuse replays across
 * isolates and locations.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-11.1 RFC 9449 §11.1}
 */
export interface ReplayStore {
  record(key: string, expiresAt: number): boolean | Promise<boolean>
}

/** Beyond this many live entries the in-memory store refuses new proofs (fails closed). */
const MEMORY_STORE_MAX_ENTRIES = 100_000

/**
 * The default replay store: a Map in this isolate's memory. Per isolate only: a proof replayed
 * to another isolate or location of the Worker is not seen, so it bounds replays to the proof's
 * short `iat` window rather than preventing them. Expired entries are dropped as it fills; a
 * full store refuses (a replay is worse than a retry).
 */
export function memoryReplayStore(now: () => number = () => Date.now() / 1000): ReplayStore {
  const seen = new Map<string, number>()
  return {
    record(key, expiresAt) {
      const current = now()
      const until = seen.get(key)
      if (until !== undefined && until > current) return false
      if (seen.size >= MEMORY_STORE_MAX_ENTRIES) {
        for (const [entry, expiry] of seen) if (expiry <= current) seen.delete(entry)
        if (seen.size >= MEMORY_STORE_MAX_ENTRIES) return false
      }
      seen.set(key, expiresAt)
      return true
    },
  }
}
