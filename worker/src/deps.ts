import type { Config } from './config'
import type { SealedValues } from './crypto/sealed-values'
import type { Keyring } from './keyring/keyring'
import type { Logger } from './logger'
import type { ClientCache } from './storage/client-cache'
import type { Db } from './storage/db'

/** The platform's rate limiters (wrangler.toml `[[ratelimits]]`). */
export interface Limiters {
  /** Failed client authentications, per client id and per address. */
  readonly clientAuthFailures: RateLimit
  /** Management API requests, per bearer token. */
  readonly apiRequests: RateLimit
  /** Authorization requests, per address. */
  readonly authorizeRequests: RateLimit
}

/**
 * What a step needs to do its work, built once per request by `requestContext`: steps take
 * `Deps` and plain values, never the Hono context, so each can be unit-tested with a frozen
 * clock (`now`) and its own bindings. Only routes read `c.req` and set headers.
 */
export interface Deps {
  readonly config: Config
  /**
   * D1's primary: every round trip sees the latest write. For every write, every single-use
   * consumption (codes, refresh tokens, DPoP `jti`, passkey challenges), the token endpoint's
   * client authentication, sign-in and every revocation check.
   */
  readonly db: Db
  /**
   * D1 read replication (Sessions API): reads that may be served by a replica near the request,
   * possibly a moment behind the primary, unless the request carried a bookmark
   * (`Consistency-Bookmark`), which it then reads at least. Only for reads that tolerate that lag:
   * the JWKS, the client at `/authorize`, management API reads (docs/scale-out.md).
   * @see {@link https://developers.cloudflare.com/d1/best-practices/read-replication/ D1 read replication}
   */
  readonly replica: Db
  /** KV: the edge cache of public data (JWKS). */
  readonly cache: KVNamespace
  readonly keyring: Keyring
  readonly clientCache: ClientCache
  readonly sealed: SealedValues
  readonly limiters: Limiters
  /** Tagged with the request id. */
  readonly log: Logger
  readonly requestId: string
  /** Unix time in seconds, the unit of every time column; frozen in step tests. */
  readonly now: () => number
  /** A well-formed password hash no password produces, verified when an account does not exist
   * (the same PBKDF2 work as a wrong password: no enumeration). */
  readonly decoyPasswordHash: () => Promise<string>
}
