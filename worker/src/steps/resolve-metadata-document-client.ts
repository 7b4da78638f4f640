import type { Deps } from '../deps'
import { ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS, type Client, newClient } from '../domain/client'
import {
  documentLifetime,
  metadataDocumentUrlProblem,
  policyAllows,
  readMetadataDocument,
} from '../domain/metadata-document'
import { fetchMetadataDocument, type Outbound } from '../outbound/fetch-metadata-document'
import { dnsOverHttps } from '../outbound/resolve-host'
import {
  readMetadataDocumentState,
  upsertMetadataDocumentClient,
} from '../storage/metadata-document-clients'
import {
  recentMetadataDocumentFailure,
  rememberMetadataDocumentFailure,
} from '../storage/metadata-document-failures'

/** The platform's fetch and Cloudflare's DNS-over-HTTPS resolver. */
export const defaultOutbound: Outbound = {
  fetch: (input, init) => fetch(input, init),
  resolve: dnsOverHttps(),
}

/** A metadata-document client that cannot be used; `reason` is for logs, never for the caller. */
export class MetadataDocumentRefused extends Error {
  constructor(readonly reason: string) {
    super(`client ID metadata document refused: ${reason}`)
    this.name = 'MetadataDocumentRefused'
  }
}

/**
 * The client whose `client_id` is the URL `clientId` (draft-ietf-oauth-client-id-metadata-document),
 * ready to use: the tenant of such clients is the deployment's (METADATA_DOCUMENT_TENANT_ID), whose
 * policy is checked before anything is fetched; the stored row is used until its document
 * expires (or as it is, when an administrator disabled it); otherwise the document is fetched
 * safely (outbound/fetch-metadata-document.ts), validated, and the row created or updated.
 * A failure is remembered for a minute (negative cache). Throws {@link MetadataDocumentRefused};
 * callers answer it as an unknown client (the error page, `invalid_client`).
 * @see {@link https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document#section-4
 *   draft-ietf-oauth-client-id-metadata-document §4}
 */
export async function resolveMetadataDocumentClient(
  deps: Deps,
  clientId: string,
  outbound: Outbound = defaultOutbound,
): Promise<Client> {
  const { config } = deps
  const tenantId = config.metadataDocumentTenantId
  if (tenantId === undefined) throw refuse(deps, clientId, 'no METADATA_DOCUMENT_TENANT_ID')
  const urlProblem = metadataDocumentUrlProblem(clientId, config.environment)
  if (urlProblem !== undefined) throw refuse(deps, clientId, `URL ${urlProblem}`)

  const state = await readMetadataDocumentState(deps.db, tenantId, clientId)
  if (state.policy === null) throw refuse(deps, clientId, 'the tenant does not exist')
  if (!policyAllows(state.policy.metadataDocuments, clientId)) {
    throw refuse(deps, clientId, 'the tenant policy forbids this host')
  }
  const stored = state.client
  if (stored !== null) {
    if (stored.thirdParty?.registration !== 'metadata-document' || stored.tenantId !== tenantId) {
      throw refuse(deps, clientId, 'the id belongs to another client')
    }
    // Disabled stays disabled: no fetch can enable it again (the caller refuses it).
    if (!stored.enabled || state.expiresAt > deps.now()) return stored
  }

  const failure = await recentMetadataDocumentFailure(deps.cache, clientId)
  if (failure !== null) throw refuse(deps, clientId, `failed recently: ${failure}`)
  const fetched = await fetchMetadataDocument(outbound, clientId, config.environment)
  const read = fetched.ok
    ? readMetadataDocument(fetched.body, clientId, config.environment)
    : { problem: fetched.reason }
  if ('problem' in read) {
    await rememberMetadataDocumentFailure(deps.cache, clientId, read.problem)
    throw refuse(deps, clientId, read.problem)
  }

  const now = deps.now()
  const { metadata } = read
  const client = newClient(
    {
      id: clientId,
      tenantId,
      type: 'authorization-code',
      name: metadata.name,
      roleIds: [],
      accessTokenLifetime: ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS,
      redirectUris: metadata.redirectUris,
      postLogoutRedirectUris: metadata.postLogoutRedirectUris,
      allowRefreshToken: metadata.allowRefreshToken,
      thirdParty: {
        registration: 'metadata-document',
        tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
        jwksUri: metadata.jwksUri,
        logoUri: metadata.logoUri,
        clientUri: metadata.clientUri,
      },
    },
    now,
  )
  const lifetime = documentLifetime(fetched.ok ? fetched.cacheControl : null)
  const result = await upsertMetadataDocumentClient(deps.db, client, now + lifetime)
  if (typeof result === 'string') throw refuse(deps, clientId, `not stored: ${result}`)
  deps.log.info('client.metadata_document_fetched', { clientId, lifetime })
  return result
}

function refuse(deps: Deps, clientId: string, reason: string): MetadataDocumentRefused {
  deps.log.warn('client.metadata_document_refused', { clientId, reason })
  return new MetadataDocumentRefused(reason)
}
