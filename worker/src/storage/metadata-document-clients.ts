import { type Client, MAX_CLIENTS_PER_TENANT } from '../domain/client'
import { clientOrigins } from '../domain/cors'
import type { MetadataDocumentPolicy } from '../domain/metadata-document'
import { findClientByIdStatement, readClient } from './clients'
import type { Db } from './db'

/** A tenant's rules for third-party clients (tenants, migration 0007). */
export interface ThirdPartyPolicy {
  metadataDocuments: { policy: MetadataDocumentPolicy; hosts: string[] }
  dynamicRegistration: boolean
}

interface PolicyRow {
  metadata_document_policy: MetadataDocumentPolicy
  metadata_document_hosts: string
  dynamic_registration: number
}

const SELECT_POLICY = `SELECT metadata_document_policy, metadata_document_hosts,
  dynamic_registration FROM tenants WHERE id = ?1`

function rowToPolicy(row: PolicyRow): ThirdPartyPolicy {
  return {
    metadataDocuments: {
      policy: row.metadata_document_policy,
      hosts: JSON.parse(row.metadata_document_hosts) as string[],
    },
    dynamicRegistration: row.dynamic_registration === 1,
  }
}

/** What using a metadata-document client needs: the tenant's policy and the stored client. */
export interface MetadataDocumentState {
  /** Null when the tenant does not exist. */
  policy: ThirdPartyPolicy | null
  client: Client | null
  /** When the stored document must be fetched again (unix seconds); 0 when never fetched. */
  expiresAt: number
}

/** The tenant's policy, the client stored under `clientId` and its expiry: one round trip. */
export async function readMetadataDocumentState(
  db: Db,
  tenantId: string,
  clientId: string,
): Promise<MetadataDocumentState> {
  const [policy, client, expiry] = await db.batch([
    db.prepare(SELECT_POLICY, tenantId),
    findClientByIdStatement(db, clientId),
    db.prepare('SELECT metadata_expires_at FROM clients WHERE id = ?1', clientId),
  ])
  const policyRow = policy?.results[0] as PolicyRow | undefined
  const expiryRow = expiry?.results[0] as { metadata_expires_at: number | null } | undefined
  return {
    policy: policyRow === undefined ? null : rowToPolicy(policyRow),
    client: readClient(client),
    expiresAt: expiryRow?.metadata_expires_at ?? 0,
  }
}

/**
 * Stores what a valid document said about its client, until `expiresAt`: creates the row on the
 * first fetch (within the tenant's client limit) or updates its metadata on a refetch. An
 * administrator's choices stay: `enabled`, `created_at`. A row of the same id that is not a
 * metadata-document client of this tenant is never touched. Answers the stored client, or why
 * there is none.
 */
export async function upsertMetadataDocumentClient(
  db: Db,
  client: Client,
  expiresAt: number,
): Promise<Client | 'limit-reached' | 'conflict'> {
  const ours = `EXISTS (SELECT 1 FROM clients WHERE id = ?1 AND tenant_id = ?2
    AND registration = 'metadata-document')`
  const origins = clientOrigins(client)
  const binds = [
    client.id,
    client.tenantId,
    client.name,
    client.accessTokenLifetime,
    JSON.stringify(client.redirectUris),
    JSON.stringify(client.postLogoutRedirectUris),
    client.updatedAt,
    client.thirdParty?.tokenEndpointAuthMethod ?? 'none',
    client.thirdParty?.jwksUri ?? null,
    client.thirdParty?.logoUri ?? null,
    client.thirdParty?.clientUri ?? null,
    expiresAt,
    MAX_CLIENTS_PER_TENANT,
    client.allowRefreshToken ? 1 : 0,
  ]
  const results = await db.batch([
    // An update of the row, when it is ours, then an insert, when there is none: two plain
    // statements rather than an upsert, whose plan would check every child table for `id`.
    db.prepare(
      `UPDATE clients SET name = ?3, redirect_uris = ?5, post_logout_redirect_uris = ?6,
         updated_at = ?7, token_endpoint_auth_method = ?8, jwks_uri = ?9, logo_uri = ?10,
         client_uri = ?11, metadata_expires_at = ?12, allow_refresh_token = ?14
       WHERE id = ?1 AND tenant_id = ?2 AND registration = 'metadata-document'`,
      ...binds,
    ),
    db.prepare(
      `INSERT INTO clients (id, tenant_id, type, name, enabled, access_token_lifetime,
         allow_refresh_token, redirect_uris, post_logout_redirect_uris, allowed_cors_origins,
         created_at, updated_at, require_dpop, registration, token_endpoint_auth_method, jwks_uri,
         logo_uri, client_uri, metadata_expires_at)
       SELECT ?1, ?2, 'authorization-code', ?3, 1, ?4, ?14, ?5, ?6, '[]', ?7, ?7, 0,
         'metadata-document', ?8, ?9, ?10, ?11, ?12
       WHERE NOT EXISTS (SELECT 1 FROM clients WHERE id = ?1)
         AND (SELECT COUNT(*) FROM clients WHERE tenant_id = ?2) < ?13`,
      ...binds,
    ),
    db.prepare(
      `INSERT OR IGNORE INTO principals (id, kind) SELECT ?1, 'client' WHERE ${ours}`,
      client.id,
      client.tenantId,
    ),
    // The token endpoint answers a browser client's CORS requests from its redirect URIs' origins.
    db.prepare(
      `DELETE FROM client_cors_origins WHERE client_id = ?1 AND ${ours}`,
      client.id,
      client.tenantId,
    ),
    ...origins.map((origin) =>
      db.prepare(
        `INSERT OR IGNORE INTO client_cors_origins (origin, client_id) SELECT ?3, ?1 WHERE ${ours}`,
        client.id,
        client.tenantId,
        origin,
      ),
    ),
    findClientByIdStatement(db, client.id),
  ])
  const stored = readClient(results[results.length - 1])
  if (stored === null) return 'limit-reached'
  if (
    stored.tenantId !== client.tenantId ||
    stored.thirdParty?.registration !== 'metadata-document'
  ) {
    return 'conflict'
  }
  return stored
}

/** A tenant's third-party policy, or null when the tenant does not exist. */
export async function findThirdPartyPolicy(
  db: Db,
  tenantId: string,
): Promise<ThirdPartyPolicy | null> {
  const row = await db.first<PolicyRow>(SELECT_POLICY, tenantId)
  return row === null ? null : rowToPolicy(row)
}

/** The statement that replaces a tenant's third-party policy (for `writeAudited`). */
export function replaceThirdPartyPolicyStatement(
  db: Db,
  tenantId: string,
  policy: ThirdPartyPolicy,
): D1PreparedStatement {
  return db.prepare(
    `UPDATE tenants SET metadata_document_policy = ?2, metadata_document_hosts = ?3,
       dynamic_registration = ?4 WHERE id = ?1`,
    tenantId,
    policy.metadataDocuments.policy,
    JSON.stringify(policy.metadataDocuments.hosts),
    policy.dynamicRegistration ? 1 : 0,
  )
}
