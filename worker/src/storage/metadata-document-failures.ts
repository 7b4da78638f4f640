import { sha256 } from '../crypto/hash'
import { FAILURE_LIFETIME_SECONDS } from '../domain/metadata-document'

// The negative cache of client ID metadata documents, in KV: a URL whose fetch failed or whose
// document was refused is not fetched again for FAILURE_LIFETIME_SECONDS, so nobody can make
// this server fetch (from itself or a victim host) in a loop. KV is eventually consistent: an
// edge that has not seen the entry yet fetches once more, which is harmless.

const key = async (url: string) => `metadata-document-failure:${await sha256(url)}`

/** Why the last fetch of `url` failed, while that is remembered. */
export async function recentMetadataDocumentFailure(
  cache: KVNamespace,
  url: string,
): Promise<string | null> {
  try {
    return await cache.get(await key(url))
  } catch {
    // Best effort: with KV unavailable the document is fetched (still within every other limit).
    return null
  }
}

/** Remembers that `url` failed, and why (for logs). */
export async function rememberMetadataDocumentFailure(
  cache: KVNamespace,
  url: string,
  reason: string,
): Promise<void> {
  try {
    await cache.put(await key(url), reason, { expirationTtl: FAILURE_LIFETIME_SECONDS })
  } catch {
    // Best effort, as above: the refusal itself does not depend on KV.
  }
}
