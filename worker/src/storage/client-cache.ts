import {
  type ClientCredentials,
  type ClientCredentialsRecord,
  type FailureWindow,
  findClientCredentials,
} from './client-authentication'
import type { Db } from './db'

/** Entries kept at most in each map; the oldest go first. */
const MAX_ENTRIES = 1000

interface Entry<T> {
  value: T
  expiresAt: number
}

/**
 * Opt-in per-isolate cache of the token endpoint's client lookups (CLIENT_CACHE_TTL_SECONDS,
 * off by default, at most 30 s). While an entry lives, a deleted or expired secret, a disabled
 * or deleted client, or a changed role is not seen by this isolate: that is the documented
 * revocation delay. A client's credentials are cached apart from its failure windows, which are
 * kept per address: an address is only ever judged by its own failures, so one attacker's
 * lockout never reaches the client's other callers (checklist N03). A failed authentication drops
 * the client's credentials (a rotated secret is read again at once) and that address's window.
 */
export class ClientCache {
  readonly #ttlMs: number
  readonly #credentials = new Map<string, Entry<ClientCredentials>>()
  readonly #failures = new Map<string, Entry<FailureWindow>>()

  constructor(ttlSeconds: number) {
    this.#ttlMs = ttlSeconds * 1000
  }

  get enabled(): boolean {
    return this.#ttlMs > 0
  }

  /** The client with the failures counted from `ip`: from this isolate when both are cached. */
  async find(db: Db, clientId: string, ip: string): Promise<ClientCredentialsRecord | null> {
    if (!this.enabled) return findClientCredentials(db, clientId, ip)
    const now = Date.now()
    const credentials = fresh(this.#credentials.get(clientId), now)
    const failures = fresh(this.#failures.get(addressKey(clientId, ip)), now)
    if (credentials !== undefined && failures !== undefined) {
      return { ...credentials, failuresFromHere: failures }
    }
    const record = await findClientCredentials(db, clientId, ip)
    // Only known clients are cached, so probing unknown ids cannot fill the cache.
    if (record !== null) {
      const { failuresFromHere, ...rest } = record
      remember(this.#credentials, clientId, rest, now + this.#ttlMs)
      remember(this.#failures, addressKey(clientId, ip), failuresFromHere, now + this.#ttlMs)
    }
    return record
  }

  /** Drops what a failed authentication from `ip` made stale. */
  forget(clientId: string, ip: string): void {
    this.#credentials.delete(clientId)
    this.#failures.delete(addressKey(clientId, ip))
  }
}

function addressKey(clientId: string, ip: string): string {
  return `${clientId}@${ip}`
}

function fresh<T>(entry: Entry<T> | undefined, now: number): T | undefined {
  return entry !== undefined && entry.expiresAt > now ? entry.value : undefined
}

function remember<T>(map: Map<string, Entry<T>>, key: string, value: T, expiresAt: number) {
  map.delete(key)
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next().value
    if (oldest !== undefined) map.delete(oldest)
  }
  map.set(key, { value, expiresAt })
}
