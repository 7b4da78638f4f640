/**
 * The bindings of the worker, as declared in wrangler.toml and set as secrets.
 * Values are read once, validated and typed by `readConfig` (config.ts); code reads `Config`,
 * and the storage layer reads the D1 and KV bindings.
 */
export interface Env {
  /** D1: the source of truth (tenants, users, clients, secrets, keys, codes, grants, audit). */
  DB: D1Database
  /** KV: edge cache of public, read-hot data (JWKS, client metadata). Never decides a revocation. */
  CACHE: KVNamespace
  /** Rate limiter of failed client authentications (per client id and per IP). */
  CLIENT_AUTH_FAILURES: RateLimit
  /** Rate limiter of management API requests, per bearer token (keyed by its SHA-256). */
  API_REQUESTS: RateLimit
  /** Rate limiter of authorization requests (/authorize), per address (IPv6 per /64). */
  AUTHORIZE_REQUESTS: RateLimit

  ISSUER?: string
  ENVIRONMENT?: string
  ACCESS_TOKEN_SIGNING_ALG?: string
  KEY_ENCRYPTION_SECRET?: string
  OPS_TOKEN?: string
  CLIENT_CACHE_TTL_SECONDS?: string
  /** `true` to require a server nonce in DPoP proofs at the token endpoint (RFC 9449 §8). */
  DPOP_REQUIRE_NONCE?: string
  LOG_LEVEL?: string
  /** The tenant of clients identified by a client ID metadata document URL (unset: refused). */
  METADATA_DOCUMENT_TENANT_ID?: string
  /**
   * Test only, ignored in production: `primary=150,replica=5` delays every D1 round trip by that
   * many milliseconds (the latency model of `npm run bench -- --topology`).
   */
  D1_LATENCY_MODEL?: string

  DEMO_TENANT_ID?: string
  DEMO_ADMIN_EMAIL?: string
  DEMO_ADMIN_PASSWORD?: string
  DEMO_ADMIN_CLIENT_ID?: string
  DEMO_ADMIN_CLIENT_SECRET?: string
  DEMO_SPA_CLIENT_ID?: string
  DEMO_SPA_ORIGIN?: string
}
