import type { JSONWebKeySet } from 'jose'

/**
 * KV keys (documented in worker/storage-schema.md). KV is eventually consistent (a write may
 * take up to 60 s to reach every location), so it only holds public data whose staleness is
 * harmless or bounded, and never decides a revocation.
 */
const JWKS_KEY = 'jwks:v1'
/** Edge read cache of KV values, in seconds (KV's minimum). */
const KV_READ_CACHE_SECONDS = 60
/** A JWKS in KV expires by itself even if no write refreshes it. */
const JWKS_KV_TTL_SECONDS = 3600

export function readCachedJwks(cache: KVNamespace): Promise<JSONWebKeySet | null> {
  return cache.get<JSONWebKeySet>(JWKS_KEY, { type: 'json', cacheTtl: KV_READ_CACHE_SECONDS })
}

export function writeCachedJwks(cache: KVNamespace, jwks: JSONWebKeySet): Promise<void> {
  return cache.put(JWKS_KEY, JSON.stringify(jwks), { expirationTtl: JWKS_KV_TTL_SECONDS })
}
