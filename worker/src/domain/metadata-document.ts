import * as z from 'zod'
import type { Environment } from '../config'
import { MAX_URIS_PER_LIST } from './client'
import { hasControlCharacter } from './display-name'
import { redirectUriProblem } from './redirect-uri'

// Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document): a client whose
// `client_id` is an https URL publishes its metadata (RFC 7591 §2 names) at that URL. The rules
// below are pure; the fetch is worker/src/outbound/, the policy and cache steps/.

/** The document is read up to this many bytes, then refused (the draft suggests 5 KB). */
export const MAX_DOCUMENT_BYTES = 5 * 1024
/** The fetch (headers and body) is abandoned after this long. */
export const FETCH_TIMEOUT_MS = 5000
/** A document is kept at least this long, whatever its Cache-Control (bounds refetches). */
export const MIN_DOCUMENT_LIFETIME_SECONDS = 60
/** ...at most this long, so a changed or withdrawn document is seen within a day. */
export const MAX_DOCUMENT_LIFETIME_SECONDS = 24 * 3600
/** ...and this long when the response says nothing (no max-age). */
export const DEFAULT_DOCUMENT_LIFETIME_SECONDS = 3600
/** A failed fetch or a refused document is not fetched again for this long (KV's minimum). */
export const FAILURE_LIFETIME_SECONDS = 60

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const MAX_NAME_LENGTH = 200
const MAX_URI_LENGTH = 2000

/** Whether a `client_id` names a metadata document (an http(s) URL) rather than a stored id. */
export function isMetadataDocumentClientId(clientId: string | undefined): clientId is string {
  return clientId !== undefined && /^https?:\/\//i.test(clientId)
}

/** Whether the URL's host is a loopback host (http allowed outside production). */
export function isLoopbackHost(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname)
}

/**
 * Why a `client_id` URL cannot be fetched as a metadata document, or undefined: https (plain
 * http only on a loopback host outside production), a path other than `/`, no dot segments, no
 * fragment, no credentials, and a host name rather than an IP literal (loopback outside
 * production aside), so that the address checks see every address it resolves to.
 * @see {@link https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-3
 *   draft-ietf-oauth-client-id-metadata-document §3}
 */
export function metadataDocumentUrlProblem(
  value: string,
  environment: Environment,
): string | undefined {
  if (value.length > MAX_URI_LENGTH) return 'is too long'
  if (!/^[\x21-\x7E]+$/.test(value)) return 'must be printable ASCII'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'must be an absolute URL'
  }
  // WHATWG URL parsing normalises: the value must already be in that form (no hidden dot segments,
  // no upper-case host), since the document's client_id is compared with it byte for byte.
  if (url.href !== value) {
    return /\/\.{1,2}(\/|\?|$)/.test(value) || /%2e/i.test(value)
      ? 'must not contain dot segments'
      : 'must be in canonical form'
  }
  const loopback = isLoopbackHost(url) && environment !== 'production'
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return 'must use https'
  }
  if (value.includes('#')) return 'must not contain a fragment'
  if (url.username !== '' || url.password !== '') return 'must not contain credentials'
  if (url.pathname === '/' || url.pathname === '') return 'must contain a path'
  const ipLiteral = url.hostname.startsWith('[') || /^[\d.]+$/.test(url.hostname)
  if (ipLiteral && !loopback) return 'must name a host, not an IP address'
  return undefined
}

const httpsUri = (environment: Environment) =>
  z
    .string()
    .max(MAX_URI_LENGTH)
    .refine((value) => {
      try {
        const url = new URL(value)
        return (
          url.protocol === 'https:' ||
          (url.protocol === 'http:' && isLoopbackHost(url) && environment !== 'production')
        )
      } catch {
        return false
      }
    }, 'must be an https URL')

const redirectUris = z
  .array(
    z.string().superRefine((value, ctx) => {
      const message = redirectUriProblem(value)
      if (message !== undefined) ctx.addIssue({ code: 'custom', message })
    }),
  )
  .max(MAX_URIS_PER_LIST)

/**
 * The metadata this server reads from a document (RFC 7591 §2 names); other members are ignored.
 * Shared secrets are refused outright (draft §4.1: `client_secret`, `client_secret_expires_at`,
 * and the secret-based authentication methods); `private_key_jwt` needs a `jwks_uri`, and an
 * inline `jwks` is not supported (the keys are fetched where they live, so they can rotate).
 */
const documentSchema = (environment: Environment) =>
  z
    .object({
      client_id: z.string(),
      // Shown on the consent page: no control or bidi characters, as for registered clients (N09).
      client_name: z
        .string()
        .refine((v) => !hasControlCharacter(v), 'must not contain control characters')
        .pipe(z.string().trim().min(1).max(MAX_NAME_LENGTH))
        .optional(),
      redirect_uris: redirectUris.min(1, 'at least one redirect URI is required'),
      post_logout_redirect_uris: redirectUris.optional(),
      logo_uri: httpsUri(environment).optional(),
      client_uri: httpsUri(environment).optional(),
      jwks_uri: httpsUri(environment).optional(),
      token_endpoint_auth_method: z.enum(['none', 'private_key_jwt']).default('none'),
      grant_types: z
        .array(z.enum(['authorization_code', 'refresh_token']))
        .default(['authorization_code']),
      response_types: z.array(z.literal('code')).default(['code']),
      client_secret: z.never({ error: 'a metadata document must not carry a secret' }).optional(),
      client_secret_expires_at: z
        .never({ error: 'a metadata document must not carry a secret' })
        .optional(),
      jwks: z.never({ error: 'inline jwks is not supported: use jwks_uri' }).optional(),
    })
    .refine((doc) => doc.token_endpoint_auth_method !== 'private_key_jwt' || doc.jwks_uri, {
      message: 'private_key_jwt requires jwks_uri',
    })

/** What a valid document says about its client, in the names of `Client`. */
export interface DocumentMetadata {
  name: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  tokenEndpointAuthMethod: 'none' | 'private_key_jwt'
  jwksUri: string | null
  logoUri: string | null
  clientUri: string | null
  /** The document lists the `refresh_token` grant (RFC 7591 §2 `grant_types`). */
  allowRefreshToken: boolean
}

/**
 * Reads a fetched document as the metadata of the client `url`: its `client_id` must equal the
 * URL byte for byte (draft §4.1), and its members the rules above. The name falls back to the
 * URL's host. Answers a problem (for logs) when it is refused.
 * @see {@link https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-4.1
 *   draft-ietf-oauth-client-id-metadata-document §4.1}
 */
export function readMetadataDocument(
  body: unknown,
  url: string,
  environment: Environment,
): { metadata: DocumentMetadata } | { problem: string } {
  const parsed = documentSchema(environment).safeParse(body)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { problem: `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}` }
  }
  const doc = parsed.data
  if (doc.client_id !== url) return { problem: 'client_id differs from the document URL' }
  return {
    metadata: {
      name: doc.client_name ?? new URL(url).host,
      redirectUris: doc.redirect_uris,
      postLogoutRedirectUris: doc.post_logout_redirect_uris ?? [],
      tokenEndpointAuthMethod: doc.token_endpoint_auth_method,
      jwksUri: doc.jwks_uri ?? null,
      logoUri: doc.logo_uri ?? null,
      clientUri: doc.client_uri ?? null,
      allowRefreshToken: doc.grant_types.includes('refresh_token'),
    },
  }
}

/**
 * How long a fetched document is used before it is fetched again, from the response's
 * `Cache-Control`: `max-age` (or `s-maxage`), `no-store`/`no-cache` as zero, bounded by
 * {@link MIN_DOCUMENT_LIFETIME_SECONDS} and {@link MAX_DOCUMENT_LIFETIME_SECONDS}.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2 RFC 9111 §5.2.2}
 */
export function documentLifetime(cacheControl: string | null): number {
  const directives = (cacheControl ?? '')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim())
  let seconds = DEFAULT_DOCUMENT_LIFETIME_SECONDS
  if (directives.some((d) => d === 'no-store' || d === 'no-cache')) seconds = 0
  else {
    const maxAge = directives.find((d) => /^(max-age|s-maxage)=\d+$/.test(d))
    if (maxAge !== undefined) seconds = Number(maxAge.split('=')[1])
  }
  return Math.min(MAX_DOCUMENT_LIFETIME_SECONDS, Math.max(MIN_DOCUMENT_LIFETIME_SECONDS, seconds))
}

/** A tenant's policy for metadata-document clients (tenants.metadata_document_policy). */
export type MetadataDocumentPolicy = 'all' | 'allow-list' | 'none'

/**
 * Whether the tenant's policy lets the client at `url` in. An allow-list entry is a host name
 * and stands for that host on the default port only: another port of a host may be another
 * service, so `host` (with any explicit port) is compared, not `hostname`.
 */
export function policyAllows(
  policy: { policy: MetadataDocumentPolicy; hosts: readonly string[] },
  url: string,
): boolean {
  if (policy.policy === 'all') return true
  if (policy.policy === 'none') return false
  const host = new URL(url).host
  return policy.hosts.some((allowed) => allowed.toLowerCase() === host)
}
