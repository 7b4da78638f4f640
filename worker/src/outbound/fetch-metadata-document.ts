import type { Environment } from '../config'
import { mediaType } from '../domain/media-type'
import {
  FETCH_TIMEOUT_MS,
  isLoopbackHost,
  MAX_DOCUMENT_BYTES,
  metadataDocumentUrlProblem,
} from '../domain/metadata-document'
import { nonPublicHostProblem } from './public-host'
import type { ResolveHost } from './resolve-host'

/** What the server needs to fetch from the outside: fetch itself and a DNS resolver. */
export interface Outbound {
  fetch: typeof fetch
  resolve: ResolveHost
  /** The fetch's time limit; {@link FETCH_TIMEOUT_MS} unless a test shortens it. */
  timeoutMs?: number
}

/** A fetched document (parsed JSON) and its Cache-Control, or why there is none. */
export type FetchedDocument =
  | { ok: true; body: unknown; cacheControl: string | null }
  | { ok: false; reason: string }

/**
 * Fetches a client ID metadata document without letting the URL reach into private networks
 * (draft §6.5, server-side request forgery): the URL's rules first (https, a host name), then
 * every address the host resolves to must be public unicast (domain/public-address.ts), then
 * one GET that follows no redirect, gives up after {@link FETCH_TIMEOUT_MS} and reads at most
 * {@link MAX_DOCUMENT_BYTES} of a JSON body. Loopback http is fetched only outside production
 * (development's locally served documents), without resolution. Never throws.
 *
 * Limit: the platform's fetch resolves the host again, so a host that answers differently the
 * second time (DNS rebinding) is not caught here; Workers cannot reach private networks anyway
 * (docs/architecture.md "Client ID metadata documents").
 * @see {@link https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-6
 *   draft-ietf-oauth-client-id-metadata-document §6}
 */
export async function fetchMetadataDocument(
  outbound: Outbound,
  url: string,
  environment: Environment,
): Promise<FetchedDocument> {
  const problem = metadataDocumentUrlProblem(url, environment)
  if (problem !== undefined) return { ok: false, reason: `URL ${problem}` }
  const parsed = new URL(url)
  if (!(isLoopbackHost(parsed) && environment !== 'production')) {
    const hostProblem = await nonPublicHostProblem(outbound.resolve, parsed)
    if (hostProblem !== undefined) return { ok: false, reason: hostProblem }
  }
  try {
    const response = await outbound.fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(outbound.timeoutMs ?? FETCH_TIMEOUT_MS),
    })
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel()
      return { ok: false, reason: 'redirects are not followed' }
    }
    if (response.status !== 200) {
      await response.body?.cancel()
      return { ok: false, reason: `status ${response.status}` }
    }
    const type = mediaType(response.headers.get('content-type') ?? '')
    if (type !== 'application/json') {
      await response.body?.cancel()
      return { ok: false, reason: 'not application/json' }
    }
    const text = await readAtMost(response, MAX_DOCUMENT_BYTES)
    if (text === undefined) return { ok: false, reason: `larger than ${MAX_DOCUMENT_BYTES} bytes` }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return { ok: false, reason: 'not JSON' }
    }
    return { ok: true, body, cacheControl: response.headers.get('cache-control') }
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError'
    return { ok: false, reason: timedOut ? 'timed out' : 'fetch failed' }
  }
}

/** The body as text, or undefined as soon as it exceeds `limit` bytes (read no further). */
async function readAtMost(response: Response, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > limit) {
    await response.body?.cancel()
    return undefined
  }
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
}
