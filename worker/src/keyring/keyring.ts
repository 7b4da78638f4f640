import {
  createLocalJWKSet,
  errors,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyOptions,
  type JWTVerifyResult,
  jwtVerify,
} from 'jose'
import type { Config } from '../config'
import { decryptWithKey, deriveKeyEncryptionKey, encryptWithKey } from '../crypto/key-encryption'
import {
  generateSigningKeyPair,
  importPrivateKey,
  type SigningAlg,
  type SigningKey,
  toPublicJwk,
} from '../crypto/signing-keys'
import { SIGNING_ALGS } from '../domain/key-rotation'
import { type Db, nowSeconds } from '../storage/db'
import { readCachedJwks, writeCachedJwks } from '../storage/jwks-cache'
import {
  insertSigningKey,
  listActiveSigningKeys,
  listPublishedSigningKeys,
  type SigningKeyRow,
} from '../storage/signing-keys'
import { withDeadline } from '../storage/unavailable'
import { IsolateCache } from './isolate-cache'

/**
 * How long an isolate keeps using the active keys it decrypted. After a rotation elsewhere an
 * isolate may sign with the previous key this long; that key stays published for a day.
 */
const ACTIVE_KEYS_CACHE_MS = 5 * 60 * 1000
/** How long an isolate trusts its copy of the public keys before reading them again. */
const PUBLIC_KEYS_CACHE_MS = 60 * 1000

/** How long the JWKS path waits on KV before it reads D1 instead (KV is only a cache). */
const KV_DEADLINE_MS = 1000

type LocalKeySet = ReturnType<typeof createLocalJWKSet>

/** The KV operation's result, or a rejection once it has taken longer than `KV_DEADLINE_MS`. */
function withinKvDeadline<T>(operation: Promise<T>): Promise<T> {
  return withDeadline(operation, KV_DEADLINE_MS, () => new Error('KV did not answer in time'))
}

/**
 * The signing keys of this isolate: decrypts the active keys once and keeps them, creates the
 * first keys on first need, and serves the JWKS. One instance per isolate (built in createApp).
 * What it keeps are values, never promises another request would wait on (./isolate-cache.ts).
 */
export class Keyring {
  readonly #config: Config
  #kek: CryptoKey | undefined
  readonly #active = new IsolateCache<Map<SigningAlg, SigningKey>>(ACTIVE_KEYS_CACHE_MS)
  readonly #public = new IsolateCache<LocalKeySet>(PUBLIC_KEYS_CACHE_MS)

  constructor(config: Config) {
    this.#config = config
  }

  /** The key that signs new tokens of `alg`; created (and published) if there is none yet. */
  async signingKey(db: Db, cache: KVNamespace, alg: SigningAlg): Promise<SigningKey> {
    const keys = await this.#active.get(() => this.#loadActiveKeys(db, cache))
    const key = keys.get(alg)
    if (key === undefined) throw new Error(`no active ${alg} signing key`)
    return key
  }

  /**
   * The public JWKS: from KV when cached there, else from D1 (and then written to KV). KV is only
   * a cache: when it fails to read or write, the JWKS comes from D1 all the same. The published
   * keys are read from `reader` (a read replica may serve it: a key is published well before it
   * signs); creating the first keys, a write, uses `db`, the primary.
   */
  async jwks(db: Db, cache: KVNamespace, reader: Db = db): Promise<JSONWebKeySet> {
    const cached = await withinKvDeadline(readCachedJwks(cache)).catch(() => null)
    if (cached !== null) return cached
    await this.signingKey(db, cache, this.#config.accessTokenSigningAlg)
    const jwks = await this.#readJwks(reader)
    await this.#cacheJwks(cache, jwks)
    return jwks
  }

  /**
   * Rebuilds the JWKS from D1 and writes it through to KV (after any key change). Here a KV
   * failure is not hidden: after a rotation, a stale copy could lack the key that now signs.
   */
  async publishJwks(db: Db, cache: KVNamespace): Promise<JSONWebKeySet> {
    const jwks = await this.#readJwks(db)
    await writeCachedJwks(cache, jwks)
    return jwks
  }

  /** Writes the JWKS to KV, best effort: a failed write leaves no copy or one that expires. */
  #cacheJwks(cache: KVNamespace, jwks: JSONWebKeySet): Promise<void> {
    return withinKvDeadline(writeCachedJwks(cache, jwks)).catch(() => undefined)
  }

  async #readJwks(db: Db): Promise<JSONWebKeySet> {
    const rows = await listPublishedSigningKeys(db, nowSeconds())
    return { keys: rows.map((row) => toPublicJwk(JSON.parse(row.public_jwk) as JWK)) }
  }

  /** Generates a key pair and stores it encrypted; answers whether it was stored. */
  async createKey(db: Db, alg: SigningAlg, state: 'next' | 'active'): Promise<string | undefined> {
    const pair = await generateSigningKeyPair(alg)
    const sealed = await encryptWithKey(
      await this.#keyEncryptionKey(),
      JSON.stringify(pair.privateJwk),
      pair.kid,
    )
    const inserted = await insertSigningKey(db, {
      kid: pair.kid,
      alg,
      state,
      publicJwk: JSON.stringify(pair.publicJwk),
      privateJwkCiphertext: sealed,
      now: nowSeconds(),
    })
    return inserted ? pair.kid : undefined
  }

  /**
   * Verifies a JWT this server signed, against its published keys (cached per isolate; read again
   * from D1 once when a `kid` is unknown, so a key created elsewhere a moment ago is found).
   */
  async verify(db: Db, token: string, options: JWTVerifyOptions): Promise<JWTVerifyResult> {
    try {
      return await jwtVerify(token, await this.#publicKeys(db), options)
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error
      return jwtVerify(token, await this.#publicKeys(db, true), options)
    }
  }

  #publicKeys(db: Db, fresh = false): Promise<LocalKeySet> {
    return this.#public.get(
      async () =>
        createLocalJWKSet({
          keys: (await listPublishedSigningKeys(db, nowSeconds())).map((row) =>
            toPublicJwk(JSON.parse(row.public_jwk) as JWK),
          ),
        }),
      { fresh },
    )
  }

  /**
   * Forgets the decrypted and public keys, so this isolate reads D1 again (after a rotation).
   * Other isolates follow within their cache lifetimes (5 minutes to sign, 60 s to verify).
   */
  forgetKeys(): void {
    this.#active.clear()
    this.#public.clear()
  }

  async #loadActiveKeys(db: Db, cache: KVNamespace): Promise<Map<SigningAlg, SigningKey>> {
    let rows = await listActiveSigningKeys(db)
    const missing = SIGNING_ALGS.filter((alg) => !rows.some((row) => row.alg === alg))
    if (missing.length > 0) {
      // First start: create the missing keys. A racing isolate may win the insert; the
      // partial unique index keeps one active key per algorithm, and we read the winner back.
      await Promise.all(missing.map((alg) => this.createKey(db, alg, 'active')))
      rows = await listActiveSigningKeys(db)
      // New keys must reach the JWKS, but signing must not depend on KV: if this write fails,
      // readers find no copy in KV and read D1.
      await this.#cacheJwks(cache, await this.#readJwks(db))
    }
    const entries = await Promise.all(rows.map((row) => this.#decrypt(row)))
    return new Map(entries.map((key) => [key.alg, key]))
  }

  async #decrypt(row: SigningKeyRow): Promise<SigningKey> {
    const jwk = JSON.parse(
      await decryptWithKey(await this.#keyEncryptionKey(), row.private_jwk_ciphertext, row.kid),
    ) as JWK
    return { kid: row.kid, alg: row.alg, key: await importPrivateKey(jwk, row.alg) }
  }

  async #keyEncryptionKey(): Promise<CryptoKey> {
    this.#kek ??= await deriveKeyEncryptionKey(this.#config.keyEncryptionSecret)
    return this.#kek
  }
}
