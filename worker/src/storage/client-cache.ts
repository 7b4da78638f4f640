import { type ClientCredentialsRecord, findClientCredentials } from './client-authentication'
import type { Db } from './db'

/** Entries kept at most; the oldest go first. */
const MAX_ENTRIES = 1000

/**
 * Opt-in per-isolate cache of the token endpoint's client lookups (CLIENT_CACHE_TTL_SECONDS,
 * off by default, at most 30 s). While an entry lives, a deleted or expired secret, a disabled
 * or deleted client, or a changed role is not seen by this isolate: that is the documented
 * revocation delay. Failed authentications always drop the entry, so a rotated secret is read
 * again at once and failure counters stay current.
 */
export class ClientCache {
  readonly #ttlMs: number
  readonly #entries = new Map<
    string,
    { record: ClientCredentialsRecord | null; expiresAt: number }
  >()

  constructor(ttlSeconds: number) {
    this.#ttlMs = ttlSeconds * 1000
  }

  get enabled(): boolean {
    return this.#ttlMs > 0
  }

  /**
   * The client, with the failures counted from `ip`. A cached record keeps the counts of the
   * request that read it; a failure drops it, so a locked-out address reads D1 again.
   */
  async find(db: Db, clientId: string, ip: string): Promise<ClientCredentialsRecord | null> {
    if (!this.enabled) return findClientCredentials(db, clientId, ip)
    const now = Date.now()
    const hit = this.#entries.get(clientId)
    if (hit !== undefined && hit.expiresAt > now) return hit.record
    const record = await findClientCredentials(db, clientId, ip)
    // Only known clients are cached, so probing unknown ids cannot fill the cache.
    if (record !== null) {
      if (this.#entries.size >= MAX_ENTRIES) {
        const oldest = this.#entries.keys().next().value
        if (oldest !== undefined) this.#entries.delete(oldest)
      }
      this.#entries.set(clientId, { record, expiresAt: now + this.#ttlMs })
    }
    return record
  }

  forget(clientId: string): void {
    this.#entries.delete(clientId)
  }
}
