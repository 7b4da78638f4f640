import { type Client, type ClientType, MAX_CLIENTS_PER_TENANT } from '../domain/client'
import { clientOrigins } from '../domain/cors'
import { type AuditEvent, auditIfChanged } from './audit'
import type { Db } from './db'

export interface ClientRow {
  id: string
  tenant_id: string
  type: ClientType
  name: string
  enabled: number
  access_token_lifetime: number
  allow_refresh_token: number
  require_dpop: number
  redirect_uris: string
  post_logout_redirect_uris: string
  allowed_cors_origins: string
  registration: 'administrator' | 'metadata-document' | 'dynamic'
  token_endpoint_auth_method: 'none' | 'private_key_jwt' | null
  jwks_uri: string | null
  logo_uri: string | null
  client_uri: string | null
  created_at: number
  updated_at: number
  role_ids: string
}

/** A client's columns plus its role ids, aggregated so one query answers both. */
const SELECT_CLIENT = `
  SELECT c.*,
    (SELECT json_group_array(r.role_id) FROM client_roles r WHERE r.client_id = c.id) AS role_ids
  FROM clients c`

export function rowToClient(row: ClientRow): Client {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    name: row.name,
    enabled: row.enabled === 1,
    accessTokenLifetime: row.access_token_lifetime,
    allowRefreshToken: row.allow_refresh_token === 1,
    requireDpop: row.require_dpop === 1,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    allowedCorsOrigins: JSON.parse(row.allowed_cors_origins) as string[],
    roleIds: (JSON.parse(row.role_ids) as string[]).sort(),
    thirdParty:
      row.registration === 'administrator'
        ? null
        : {
            registration: row.registration,
            tokenEndpointAuthMethod: row.token_endpoint_auth_method ?? 'none',
            jwksUri: row.jwks_uri,
            logoUri: row.logo_uri,
            clientUri: row.client_uri,
          },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The statement that finds a client by its id alone (OAuth endpoints, which know no tenant). */
export function findClientByIdStatement(db: Db, id: string): D1PreparedStatement {
  return db.prepare(`${SELECT_CLIENT} WHERE c.id = ?1`, id)
}

/** The client in the result of `findClientByIdStatement`, or null. */
export function readClient(result: D1Result | undefined): Client | null {
  const row = result?.results[0] as ClientRow | undefined
  return row === undefined ? null : rowToClient(row)
}

/** A client by its id alone (the OAuth endpoints, which know no tenant yet). */
export async function findClientById(db: Db, id: string): Promise<Client | null> {
  const row = await findClientByIdStatement(db, id).first<ClientRow>()
  db.countRoundTrip()
  return row === null ? null : rowToClient(row)
}

/**
 * The management API's clients are the administrator's: a third-party client (same type, but it
 * registered itself) is not found or listed through these functions.
 */
const ADMINISTRATOR = "registration = 'administrator'"

/** A client of a tenant, of the given type (a client of another type is not found). */
export async function findClient(
  db: Db,
  tenantId: string,
  type: ClientType,
  id: string,
): Promise<Client | null> {
  const row = await db.first<ClientRow>(
    `${SELECT_CLIENT} WHERE c.id = ?1 AND c.tenant_id = ?2 AND c.type = ?3 AND c.${ADMINISTRATOR}`,
    id,
    tenantId,
    type,
  )
  return row === null ? null : rowToClient(row)
}

/** One page of a tenant's clients of one type, oldest first, and how many there are. */
export async function listClients(
  db: Db,
  tenantId: string,
  type: ClientType,
  page: { skip: number; count: number },
): Promise<{ items: Client[]; total: number }> {
  const [rows, total] = await db.batch([
    db.prepare(
      `${SELECT_CLIENT} WHERE c.tenant_id = ?1 AND c.${ADMINISTRATOR} AND c.type = ?2
       ORDER BY c.created_at, c.id LIMIT ?3 OFFSET ?4`,
      tenantId,
      type,
      page.count,
      page.skip,
    ),
    db.prepare(
      `SELECT COUNT(*) AS total FROM clients WHERE tenant_id = ?1 AND ${ADMINISTRATOR} AND type = ?2`,
      tenantId,
      type,
    ),
  ])
  return {
    items: ((rows?.results ?? []) as ClientRow[]).map(rowToClient),
    total: ((total?.results[0] ?? { total: 0 }) as { total: number }).total,
  }
}

export interface NewClientSecret {
  id: string
  hash: string
  description: string
  expiresAt: number | null
}

/**
 * Creates a client with its roles and optional first secret, in one transaction. The insert is
 * conditional on the tenant's client count, so the limit holds under concurrent creates; the
 * other statements only run when the client row was written. Answers `'limit-reached'` when
 * the tenant is at its limit. A client id equal to a user id fails on `principals`
 * (RFC 9068 §5). `more` are statements of the same transaction, each conditional on the client
 * row (storage/client-registrations.ts).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-5 RFC 9068 §5}
 */
export async function insertClient(
  db: Db,
  client: Client,
  secret: NewClientSecret | undefined,
  audit?: AuditEvent,
  more: readonly D1PreparedStatement[] = [],
): Promise<'written' | 'limit-reached'> {
  const exists = 'EXISTS (SELECT 1 FROM clients WHERE id = ?1)'
  const [inserted] = await db.batch([
    db.prepare(
      `INSERT INTO clients (id, tenant_id, type, name, enabled, access_token_lifetime,
         allow_refresh_token, redirect_uris, post_logout_redirect_uris, allowed_cors_origins,
         created_at, updated_at, require_dpop, registration, token_endpoint_auth_method, jwks_uri,
         logo_uri, client_uri)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?13, ?14, ?15, ?16, ?17, ?18
       WHERE (SELECT COUNT(*) FROM clients WHERE tenant_id = ?2) < ?12`,
      client.id,
      client.tenantId,
      client.type,
      client.name,
      client.enabled ? 1 : 0,
      client.accessTokenLifetime,
      client.allowRefreshToken ? 1 : 0,
      JSON.stringify(client.redirectUris),
      JSON.stringify(client.postLogoutRedirectUris),
      JSON.stringify(client.allowedCorsOrigins),
      client.createdAt,
      MAX_CLIENTS_PER_TENANT,
      client.requireDpop ? 1 : 0,
      client.thirdParty?.registration ?? 'administrator',
      client.thirdParty?.tokenEndpointAuthMethod ?? null,
      client.thirdParty?.jwksUri ?? null,
      client.thirdParty?.logoUri ?? null,
      client.thirdParty?.clientUri ?? null,
    ),
    ...auditIfChanged(db, audit),
    db.prepare(`INSERT INTO principals (id, kind) SELECT ?1, 'client' WHERE ${exists}`, client.id),
    ...insertRoles(db, client, exists),
    ...insertOrigins(db, client, exists),
    ...(secret === undefined
      ? []
      : [
          db.prepare(
            `INSERT INTO client_secrets (id, client_id, secret_hash, description, expires_at, created_at)
             SELECT ?2, ?1, ?3, ?4, ?5, ?6 WHERE ${exists}`,
            client.id,
            secret.id,
            secret.hash,
            secret.description,
            secret.expiresAt,
            client.createdAt,
          ),
        ]),
    ...more,
  ])
  return (inserted?.meta.changes ?? 0) === 1 ? 'written' : 'limit-reached'
}

/** Inserts a client's roles; `condition` may use ?1 (client id), ?2 (tenant) and ?3 (type). */
function insertRoles(db: Db, client: Client, condition: string): D1PreparedStatement[] {
  return client.roleIds.map((roleId) =>
    db.prepare(
      `INSERT INTO client_roles (client_id, tenant_id, role_id) SELECT ?1, ?2, ?4 WHERE ${condition}`,
      client.id,
      client.tenantId,
      client.type,
      roleId,
    ),
  )
}

/** Indexes a client's browser origins; `condition` may use ?1 (client id), ?2, ?3. */
function insertOrigins(db: Db, client: Client, condition: string): D1PreparedStatement[] {
  return clientOrigins(client).map((origin) =>
    db.prepare(
      `INSERT INTO client_cors_origins (origin, client_id) SELECT ?4, ?1 WHERE ${condition}`,
      client.id,
      client.tenantId,
      client.type,
      origin,
    ),
  )
}

/** Whether any client accepts requests from `origin` (answers a CORS preflight). */
export async function isKnownClientOrigin(db: Db, origin: string): Promise<boolean> {
  const row = await db.first(
    'SELECT 1 AS known FROM client_cors_origins WHERE origin = ?1 LIMIT 1',
    origin,
  )
  return row !== null
}

/**
 * Replaces a client's settings and roles (PUT), in one transaction. Answers `'not-found'` when
 * the client does not exist (in this tenant, with this type).
 */
export async function replaceClient(
  db: Db,
  client: Client,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  // Every statement is conditional on the client being this tenant's, of this type.
  const exists = `EXISTS (SELECT 1 FROM clients WHERE id = ?1 AND tenant_id = ?2 AND type = ?3
    AND ${ADMINISTRATOR})`
  const [updated] = await db.batch([
    db.prepare(
      `UPDATE clients SET name = ?4, enabled = ?5, access_token_lifetime = ?6,
         allow_refresh_token = ?7, redirect_uris = ?8, post_logout_redirect_uris = ?9,
         allowed_cors_origins = ?10, updated_at = ?11, require_dpop = ?12,
         -- Disabling ends the tokens issued before it, for good (N04): SET reads the old row.
         tokens_valid_after = CASE WHEN enabled = 1 AND ?5 = 0 THEN ?11 ELSE tokens_valid_after END
       WHERE id = ?1 AND tenant_id = ?2 AND type = ?3 AND ${ADMINISTRATOR}`,
      client.id,
      client.tenantId,
      client.type,
      client.name,
      client.enabled ? 1 : 0,
      client.accessTokenLifetime,
      client.allowRefreshToken ? 1 : 0,
      JSON.stringify(client.redirectUris),
      JSON.stringify(client.postLogoutRedirectUris),
      JSON.stringify(client.allowedCorsOrigins),
      client.updatedAt,
      client.requireDpop ? 1 : 0,
    ),
    ...auditIfChanged(db, audit),
    // A disabled client's grants end now: enabling it again must not bring back its refresh
    // tokens (checklist D13).
    db.prepare(
      `UPDATE grants SET revoked_at = ?4 WHERE client_id = ?1 AND revoked_at IS NULL AND ?5 = 0
         AND ${exists}`,
      client.id,
      client.tenantId,
      client.type,
      client.updatedAt,
      client.enabled ? 1 : 0,
    ),
    db.prepare(
      `DELETE FROM client_roles WHERE client_id = ?1 AND ${exists}`,
      client.id,
      client.tenantId,
      client.type,
    ),
    ...insertRoles(db, client, exists),
    db.prepare(
      `DELETE FROM client_cors_origins WHERE client_id = ?1 AND ${exists}`,
      client.id,
      client.tenantId,
      client.type,
    ),
    ...insertOrigins(db, client, exists),
  ])
  return (updated?.meta.changes ?? 0) === 1 ? 'written' : 'not-found'
}

/**
 * Deletes a client; its roles, secrets, codes and grants go with it (ON DELETE CASCADE). D1
 * counts the cascaded rows in `meta.changes`, hence `> 0`.
 */
export async function deleteClient(
  db: Db,
  tenantId: string,
  type: ClientType,
  id: string,
  audit?: AuditEvent,
): Promise<'written' | 'not-found'> {
  const [deleted] = await db.batch([
    db.prepare(
      `DELETE FROM clients WHERE id = ?1 AND tenant_id = ?2 AND type = ?3 AND ${ADMINISTRATOR}`,
      id,
      tenantId,
      type,
    ),
    ...auditIfChanged(db, audit),
  ])
  return (deleted?.meta.changes ?? 0) > 0 ? 'written' : 'not-found'
}
