/**
 * @edge-identity/client-lib/dpop: tokens bound to a key of the browser (DPoP, RFC 9449). A stolen
 * access token is useless without the private key, and the key is a non-extractable WebCrypto key
 * kept in IndexedDB: it survives reloads, and no script (not even the app's) can read it.
 *
 * @example
 * import { createAuthClient } from '@edge-identity/client-lib'
 * import { dpop } from '@edge-identity/client-lib/dpop'
 * const auth = createAuthClient({ issuer, clientId, redirectUri, tokenBinding: dpop() })
 *
 * @packageDocumentation
 */
import type { AuthorizationParams, TokenBinding } from './types.js'

/**
 * Where the key pair lives. The default, {@link indexedDbKeyStore}, keeps it across reloads and
 * shares it between the origin's tabs; {@link memoryKeyStore} keeps it for this page only (and
 * serves tests: happy-dom has no IndexedDB).
 *
 * @example
 * const store: DpopKeyStore = memoryKeyStore()
 */
export interface DpopKeyStore {
  /** The stored key pair, or undefined. */
  get(): Promise<CryptoKeyPair | undefined>
  /**
   * Stores `keys` unless a pair is stored already, and answers the stored pair: the first one
   * wins when two tabs make a key at once.
   */
  add(keys: CryptoKeyPair): Promise<CryptoKeyPair>
  /** Removes the stored pair. */
  delete(): Promise<void>
}

/**
 * Options of {@link dpop}.
 *
 * @example
 * dpop({ store: indexedDbKeyStore('my-app') })
 */
export interface DpopOptions {
  /** Where the key pair lives. Default `indexedDbKeyStore()`. */
  store?: DpopKeyStore
}

/**
 * What {@link dpop} answers: the `tokenBinding` of createAuthClient, and the key's thumbprint.
 *
 * @example
 * const binding: Dpop = dpop()
 */
export interface Dpop extends TokenBinding {
  /** The RFC 7638 thumbprint of the current key (what `cnf.jkt` of a bound token names). */
  thumbprint(): Promise<string>
}

const DATABASE = 'edge-identity-dpop'
const STORE = 'keys'

/**
 * A key store in IndexedDB (database `edge-identity-dpop`, one record per `name`): CryptoKey
 * objects are stored as structured clones, so the private key stays non-extractable.
 *
 * @example
 * createAuthClient({ ...options, tokenBinding: dpop({ store: indexedDbKeyStore('admin') }) })
 */
export function indexedDbKeyStore(name = 'default'): DpopKeyStore {
  const run = <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest) =>
    new Promise<T>((resolve, reject) => {
      const open = indexedDB.open(DATABASE, 1)
      open.onupgradeneeded = () => open.result.createObjectStore(STORE)
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const db = open.result
        const request = op(db.transaction(STORE, mode).objectStore(STORE))
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
        db.close() // takes effect once the transaction is done
      }
    })
  const get = () => run<CryptoKeyPair | undefined>('readonly', (store) => store.get(name))
  return {
    get,
    // `add` fails (ConstraintError) when another tab stored a pair first: that one is used.
    add: (keys) =>
      run('readwrite', (store) => store.add(keys, name)).then(
        () => keys,
        async (error) => (await get()) ?? Promise.reject(error),
      ),
    delete: () => run('readwrite', (store) => store.delete(name)),
  }
}

/**
 * A key store in memory: the key lasts as long as the store object (the page).
 *
 * @example
 * createAuthClient({ ...options, tokenBinding: dpop({ store: memoryKeyStore() }) })
 */
export function memoryKeyStore(): DpopKeyStore {
  let stored: CryptoKeyPair | undefined
  return {
    get: async () => stored,
    add: async (keys) => (stored ??= keys),
    delete: async () => {
      stored = undefined
    },
  }
}

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)))

const sha256 = async (text: string) =>
  base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))

/** Whether an answer asks for the proof again with its new nonce (RFC 9449 §8, §9). */
async function wantsNonce(response: Response): Promise<boolean> {
  if (response.status === 401) return true
  if (response.status !== 400) return false
  const body = await response
    .clone()
    .json()
    .catch(() => undefined)
  return body?.error === 'use_dpop_nonce'
}

/**
 * Binds tokens to a non-extractable ES256 key pair (WebCrypto), for createAuthClient's
 * `tokenBinding`:
 *
 * - every authorization request carries `dpop_jkt`, the key's thumbprint, so the code is bound to
 *   the key (RFC 9449 §10);
 * - every token request (redirect callback, silent renewal, popup) and every `auth.fetch()` of a
 *   bound token carries a proof (RFC 9449 §4.2: `typ: dpop+jwt`, the public `jwk`, `htm`, `htu`
 *   without query and fragment, `iat`, `jti`, `ath` at a resource, the server's `nonce`), and
 *   `auth.fetch()` sends `Authorization: DPoP <token>` (§7.1);
 * - the server's latest `DPoP-Nonce` is kept per origin; a `use_dpop_nonce` error, or a 401 with
 *   a new nonce, is retried once with it (§8, §9);
 * - after sign-out the key is deleted: the next sign-in makes a new one.
 *
 * @example
 * const binding = dpop()
 * const auth = createAuthClient({ ...options, tokenBinding: binding })
 * console.log(await binding.thumbprint())
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449 RFC 9449}
 */
export function dpop(options: DpopOptions = {}): Dpop {
  const store = options.store ?? indexedDbKeyStore()
  const nonces = new Map<string, string>()
  let key: Promise<{ keys: CryptoKeyPair; jwk: object; jkt: string }> | undefined
  let deleting: Promise<void> | undefined

  // The stored pair, or a new one: ES256 (P-256), the private key never extractable.
  const load = () =>
    (key ??= (async () => {
      await deleting
      const keys =
        (await store.get()) ??
        (await store.add(
          await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
            'sign',
            'verify',
          ]),
        ))
      const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey)
      // RFC 7638 §3: the required members in lexicographic order, no whitespace.
      const jwk = { crv, kty, x, y }
      return { keys, jwk, jkt: await sha256(JSON.stringify(jwk)) }
    })().catch((error) => {
      key = undefined
      throw error
    }))

  // RFC 9449 §4.2: a proof for this method and URL (htu without query and fragment).
  async function proof(method: string, url: URL, nonce?: string, accessToken?: string) {
    const { keys, jwk } = await load()
    const input = `${encode({ typ: 'dpop+jwt', alg: 'ES256', jwk })}.${encode({
      jti: crypto.randomUUID(),
      htm: method,
      htu: url.origin + url.pathname,
      iat: Math.floor(Date.now() / 1000),
      nonce,
      ath: accessToken && (await sha256(accessToken)),
    })}`
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      keys.privateKey,
      new TextEncoder().encode(input),
    )
    return `${input}.${base64url(signature)}`
  }

  return {
    thumbprint: async () => (await load()).jkt,
    params: async (): Promise<AuthorizationParams> => ({ dpop_jkt: (await load()).jkt }),
    async send(http, input, init, accessToken) {
      const request = input as Request
      const url = new URL(request.url ?? `${input}`, location.href)
      const method = (init.method ?? request.method ?? 'GET').toUpperCase()
      const attempt = async () => {
        const nonce = nonces.get(url.origin)
        const headers = new Headers(init.headers ?? request.headers)
        headers.set('dpop', await proof(method, url, nonce, accessToken))
        if (accessToken) headers.set('authorization', `DPoP ${accessToken}`)
        // A Request's body can be read once: each attempt sends a copy.
        const response = await http(request.clone?.() ?? input, { ...init, headers })
        // RFC 9449 §8.2: the server may send the next nonce with any answer.
        const next = response.headers.get('dpop-nonce')
        if (next) nonces.set(url.origin, next)
        return { response, retry: !!next && next !== nonce && (await wantsNonce(response)) }
      }
      const first = await attempt()
      return first.retry ? (await attempt()).response : first.response
    },
    reset(mine) {
      key = undefined
      // Another tab's sign-out: that tab deletes the stored key; this one forgets its copy.
      if (mine) deleting = store.delete().catch(() => {})
    },
  }
}
