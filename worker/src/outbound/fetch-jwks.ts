import type { JSONWebKeySet } from 'jose'
import { sha256 } from '../crypto/hash'
import { nonPublicHostProblem } from './public-host'
import { dnsOverHttps, type ResolveHost } from './resolve-host'

/** A client's JWKS is trusted from KV this long (seconds) before it is fetched again. */
export const CLIENT_JWKS_CACHE_SECONDS = 300
/**
 * A `fresh` read goes to the network at most this often per `jwks_uri` (seconds): anyone can send
 * assertions with an unknown `kid` without being counted (a private_key_jwt client has no secret
 * to guess), and each must not become a fetch of the client's JWKS (a fetch storm against it,
 * and subrequests here). A rotated key is therefore seen within this long of the last fetch.
 */
export const CLIENT_JWKS_REFETCH_SECONDS = 60
/** The largest JWKS document read; a set of a few public keys is a few KB. */
export const MAX_JWKS_BYTES = 64 * 1024
/** How long the fetch may take, headers and body. */
export const JWKS_FETCH_TIMEOUT_MS = 3000
/** Hosts where plain http is allowed outside production (local development). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** A JWKS could not be had: the client's authentication then fails (never a 500). */
export class JwksUnavailable extends Error {
  override name = 'JwksUnavailable'
}

export interface FetchJwksOptions {
  /** KV, the edge cache of public data. */
  cache: KVNamespace
  /** Allows http on loopback hosts (development and tests). */
  allowLoopbackHttp: boolean
  /**
   * Skip the cache (a key the cached set lacks may have been added since), unless the set was
   * fetched less than CLIENT_JWKS_REFETCH_SECONDS ago.
   */
  fresh?: boolean
  /** The current time, seconds since the epoch (the refetch bound); the clock's by default. */
  now?: number
  /** The fetch to use; the platform's by default (a test passes its own). */
  fetcher?: typeof fetch
  /** The DNS resolver whose answers must all be public; DNS-over-HTTPS by default. */
  resolve?: ResolveHost
}

/** The KV key of a client's cached JWKS (worker/storage-schema.md). */
export const clientJwksCacheKey = async (uri: string) => `client-jwks:v1:${await sha256(uri)}`
/** The KV key of when a client's JWKS was last fetched (seconds), for the refetch bound. */
const clientJwksFetchedAtKey = async (uri: string) =>
  `client-jwks-fetched-at:v1:${await sha256(uri)}`

/**
 * A client's JWKS from its `jwks_uri` (RFC 7591 §2), for private_key_jwt (RFC 7523): https only
 * (http on loopback hosts outside production), redirects not followed, a time and a size limit,
 * `{ keys: [...] }` required; cached in KV for CLIENT_JWKS_CACHE_SECONDS (public data: staleness
 * only delays a key rotation by that much). The host must be public as the client ID metadata
 * document fetch requires it (outbound/public-host.ts: an IP literal or every resolved address
 * public unicast), so a `jwks_uri` cannot make the server reach into a private network.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 RFC 7591 §2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7523#section-3 RFC 7523 §3}
 */
export async function fetchClientJwks(
  uri: string,
  options: FetchJwksOptions,
): Promise<JSONWebKeySet> {
  const key = await clientJwksCacheKey(uri)
  const fetchedAtKey = await clientJwksFetchedAtKey(uri)
  const now = options.now ?? Math.floor(Date.now() / 1000)
  if (options.fresh === true) {
    const fetchedAt = Number(await options.cache.get(fetchedAtKey))
    const recent = fetchedAt > 0 && now < fetchedAt + CLIENT_JWKS_REFETCH_SECONDS
    if (recent) {
      const cached = await options.cache.get<JSONWebKeySet>(key, 'json')
      if (cached !== null) return cached
    }
  } else {
    const cached = await options.cache.get<JSONWebKeySet>(key, { type: 'json', cacheTtl: 60 })
    if (cached !== null) return cached
  }
  const jwks = await download(uri, options)
  await Promise.all([
    options.cache.put(key, JSON.stringify(jwks), { expirationTtl: CLIENT_JWKS_CACHE_SECONDS }),
    // KV's shortest expiry is 60 s, which is also the bound's window.
    options.cache.put(fetchedAtKey, String(now), { expirationTtl: 60 }),
  ])
  return jwks
}

async function download(uri: string, options: FetchJwksOptions): Promise<JSONWebKeySet> {
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    throw new JwksUnavailable('jwks_uri is not a URL')
  }
  const loopbackHttp =
    options.allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
  if (url.protocol !== 'https:' && !loopbackHttp) throw new JwksUnavailable('jwks_uri not https')
  if (!(options.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname))) {
    const problem = await nonPublicHostProblem(options.resolve ?? dnsOverHttps(), url)
    if (problem !== undefined) throw new JwksUnavailable(`jwks_uri ${problem}`)
  }
  let response: Response
  try {
    response = await (options.fetcher ?? fetch)(url.href, {
      redirect: 'manual',
      headers: { Accept: 'application/json, application/jwk-set+json' },
      signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS),
    })
  } catch (error) {
    throw new JwksUnavailable('jwks_uri fetch failed', { cause: error })
  }
  if (response.status !== 200) {
    await response.body?.cancel()
    throw new JwksUnavailable(`jwks_uri answered ${response.status}`)
  }
  const text = await readLimited(response, MAX_JWKS_BYTES)
  let jwks: unknown
  try {
    jwks = JSON.parse(text)
  } catch {
    throw new JwksUnavailable('jwks_uri is not JSON')
  }
  const keys = (jwks as { keys?: unknown } | null)?.keys
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'object' || k === null)) {
    throw new JwksUnavailable('jwks_uri is not a JWK set')
  }
  return { keys } as JSONWebKeySet
}

/** The body as text, refused past `limit` bytes without reading the rest. */
async function readLimited(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('Content-Length') ?? '0')
  if (declared > limit) {
    await response.body?.cancel()
    throw new JwksUnavailable('jwks_uri document too large')
  }
  const reader = response.body?.getReader()
  if (reader === undefined) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw new JwksUnavailable('jwks_uri document too large')
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}
