import { ACCESS_TOKEN_LIFETIME_MAX_SECONDS } from '../domain/client'
import {
  REFRESH_TOKEN_IDLE_SECONDS,
  REFRESH_TOKEN_REUSE_GRACE_SECONDS,
} from '../domain/refresh-token'
import type { Db } from './db'

export interface RefreshInput {
  tokenHash: string
  /** Unique to this request: marks the old token as consumed by it (and only it). */
  requestId: string
  now: number
  clientId: string
  /** The scope values the request asks for (a subset of the grant's), or [] for all of them. */
  scope: readonly string[]
  newTokenHash: string
  accessTokenJti: string
  /** The thumbprint of the DPoP key the request proved, or null without a proof. */
  dpopJkt: string | null
  /** The resources the request names (RFC 8707), within the grant's, or null for all of them. */
  resources: readonly string[] | null
  /** How long the client's own re-presentation is not reuse (0 for public clients); default 5 s. */
  reuseGraceSeconds?: number
}

/** What the tokens of a refresh need: the grant, its user's roles now, its client's lifetime. */
export interface RefreshedGrant {
  grantId: string
  tenantId: string
  userId: string
  sessionId: string | null
  /** The grant's scope (the new refresh token keeps it, RFC 6749 §6). */
  scope: string[]
  authTime: number
  amr: string[]
  accessTokenLifetime: number
  roleIds: string[]
  /** The grant's resources (RFC 8707), or null when its authorization request named none. */
  resources: string[] | null
}

interface RefreshedGrantRow {
  grant_id: string
  tenant_id: string
  user_id: string
  session_id: string | null
  scope: string
  auth_time: number
  amr: string
  access_token_lifetime: number
  role_ids: string
  resources: string | null
}

function rowToRefreshedGrant(row: RefreshedGrantRow): RefreshedGrant {
  return {
    grantId: row.grant_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    sessionId: row.session_id,
    scope: row.scope.split(' '),
    authTime: row.auth_time,
    amr: JSON.parse(row.amr) as string[],
    accessTokenLifetime: row.access_token_lifetime,
    roleIds: JSON.parse(row.role_ids) as string[],
    resources: row.resources === null ? null : (JSON.parse(row.resources) as string[]),
  }
}

/**
 * Rotates a refresh token in ONE round trip and one transaction (D1 batch):
 * 1. consume it, only if it is unused, unexpired, this client's, and the asked scope is within
 *    the grant's (checklist F03, F04), and the request proved the DPoP key the grant is bound to,
 *    if it is (RFC 9449 §5), and names only resources of the grant, if it names some (RFC 8707
 *    §2.2: a refresh may narrow them, never widen them), and carries a DPoP proof when one of the
 *    resources it is for requires one now (so a refusal burns nothing), with a conditional UPDATE, so of N concurrent uses exactly one wins
 *    (M01); a use without that proof changes nothing, so a thief cannot even burn the token;
 * 2. when it was consumed before by another request (reuse), revoke the whole grant, and with it
 *    the refresh token and access tokens issued since (RFC 9700 §4.14.2; F05); except when its
 *    own client presents it again within REFRESH_TOKEN_REUSE_GRACE_SECONDS of its rotation: that
 *    is a race of the client's own requests (or a retry), answered invalid_grant without
 *    revoking what the winner was just given (N05). The race is decided by this one statement;
 * 3. write the new refresh token and record the new access token, only for the winner, only
 *    while the grant, the client and the user stand;
 * 4. answer what the new tokens need.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 RFC 9700 §4.14.2}
 */
export async function rotateRefreshToken(
  db: Db,
  input: RefreshInput,
): Promise<RefreshedGrant | null> {
  const scope = JSON.stringify(input.scope)
  const results = await db.batch([
    db.prepare(
      `UPDATE refresh_tokens SET consumed_at = ?2, consumed_by = ?3
       WHERE token_hash = ?1 AND consumed_at IS NULL AND expires_at > ?2 AND client_id = ?4
         AND NOT EXISTS (SELECT 1 FROM json_each(?5)
                         WHERE instr(' ' || scope || ' ', ' ' || value || ' ') = 0)
         AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id
                         AND g.dpop_jkt IS NOT NULL AND g.dpop_jkt IS NOT ?6)
         AND (?7 IS NULL OR EXISTS (SELECT 1 FROM grants g WHERE g.id = refresh_tokens.grant_id
               AND g.resources IS NOT NULL AND NOT EXISTS (
                 SELECT 1 FROM json_each(?7) AS asked
                 WHERE asked.value NOT IN (SELECT value FROM json_each(g.resources)))))
         AND (?6 IS NOT NULL OR NOT EXISTS (
               SELECT 1 FROM grants g, json_each(COALESCE(?7, g.resources)) AS named
                 JOIN resources r ON r.tenant_id = g.tenant_id AND r.identifier = named.value
               WHERE g.id = refresh_tokens.grant_id AND g.resources IS NOT NULL
                 AND r.require_dpop = 1))`,
      input.tokenHash,
      input.now,
      input.requestId,
      input.clientId,
      scope,
      input.dpopJkt,
      input.resources === null ? null : JSON.stringify(input.resources),
    ),
    db.prepare(
      `UPDATE grants SET revoked_at = ?2 WHERE revoked_at IS NULL AND id = (
         SELECT grant_id FROM refresh_tokens WHERE token_hash = ?1 AND consumed_by != ?3
           AND NOT (client_id = ?4 AND consumed_at > ?2 - ?5))`,
      input.tokenHash,
      input.now,
      input.requestId,
      input.clientId,
      input.reuseGraceSeconds ?? REFRESH_TOKEN_REUSE_GRACE_SECONDS,
    ),
    db.prepare(
      `INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, expires_at)
       SELECT ?4, r.grant_id, r.client_id, r.scope, ?2, MIN(g.expires_at, ?2 + ?5)
       FROM refresh_tokens r
         JOIN grants g ON g.id = r.grant_id
         JOIN clients c ON c.id = r.client_id
         JOIN users u ON u.id = g.user_id
       WHERE r.token_hash = ?1 AND r.consumed_by = ?3 AND g.revoked_at IS NULL AND g.expires_at > ?2
         AND c.enabled = 1 AND u.enabled = 1
         AND c.allow_refresh_token = 1`,
      input.tokenHash,
      input.now,
      input.requestId,
      input.newTokenHash,
      REFRESH_TOKEN_IDLE_SECONDS,
    ),
    db.prepare(
      `INSERT INTO access_tokens (jti, grant_id, expires_at)
       SELECT ?3, r.grant_id,
         ?2 + CASE WHEN g.resources IS NULL THEN c.access_token_lifetime ELSE ?4 END
       FROM refresh_tokens r JOIN clients c ON c.id = r.client_id
         JOIN grants g ON g.id = r.grant_id
       WHERE r.token_hash = ?1`,
      input.newTokenHash,
      input.now,
      input.accessTokenJti,
      // A resource's own lifetime applies; the row outlives its token, never the reverse.
      ACCESS_TOKEN_LIFETIME_MAX_SECONDS,
    ),
    db.prepare(
      `SELECT g.id AS grant_id, g.tenant_id, g.user_id, g.session_id, g.scope, g.auth_time,
         g.amr, c.access_token_lifetime, g.resources,
         (SELECT json_group_array(role_id) FROM user_roles WHERE user_id = g.user_id) AS role_ids
       FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id JOIN clients c ON c.id = r.client_id
       WHERE r.token_hash = ?1`,
      input.newTokenHash,
    ),
  ])
  const row = results[4]?.results[0] as RefreshedGrantRow | undefined
  return row === undefined ? null : rowToRefreshedGrant(row)
}

/**
 * The statement that gives a newly redeemed grant its first refresh token (code exchange): for a
 * hybrid client that allows them, or a third-party client whose user's consent (still) holds
 * offline_access; never for the seed's authorization-code clients (checklist F01, F02).
 */
export function insertFirstRefreshTokenStatement(
  db: Db,
  input: { codeHash: string; requestId: string; now: number; tokenHash: string },
): D1PreparedStatement {
  return db.prepare(
    `INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, expires_at)
     SELECT ?4, a.grant_id, a.client_id, a.scope, ?2, MIN(g.expires_at, ?2 + ?5)
     FROM authorization_codes a
       JOIN grants g ON g.id = a.grant_id
       JOIN clients c ON c.id = a.client_id
     WHERE a.code_hash = ?1 AND a.consumed_by = ?3 AND g.revoked_at IS NULL
       AND instr(' ' || a.scope || ' ', ' offline_access ') > 0
       AND ((c.type = 'hybrid' AND c.allow_refresh_token = 1)
         OR (c.registration != 'administrator' AND c.allow_refresh_token = 1 AND EXISTS (
               SELECT 1 FROM consents k, json_each(k.scopes) AS s
               WHERE k.user_id = a.user_id AND k.client_id = a.client_id
                 AND s.value = 'offline_access')))`,
    input.codeHash,
    input.now,
    input.requestId,
    input.tokenHash,
    REFRESH_TOKEN_IDLE_SECONDS,
  )
}

/** A stored refresh token, with whether it can still be used. */
export interface StoredRefreshToken {
  grantId: string
  clientId: string
  tenantId: string
  userId: string
  scope: string
  createdAt: number
  expiresAt: number
  /** Unused, unexpired, its grant standing, its client and user enabled. */
  active: boolean
  /** The DPoP key its grant is bound to (RFC 9449 §5), or null. */
  dpopJkt: string | null
  /** Its grant's resources (RFC 8707), or null. */
  resources: string[] | null
}

interface StoredRefreshTokenRow {
  grant_id: string
  client_id: string
  tenant_id: string
  user_id: string
  scope: string
  created_at: number
  expires_at: number
  active: number
  dpop_jkt: string | null
  resources: string | null
}

function rowToStoredRefreshToken(row: StoredRefreshTokenRow): StoredRefreshToken {
  return {
    grantId: row.grant_id,
    clientId: row.client_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    scope: row.scope,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    active: row.active === 1,
    dpopJkt: row.dpop_jkt,
    resources: row.resources === null ? null : (JSON.parse(row.resources) as string[]),
  }
}

/** A refresh token by its hash, with whether it can still be used (revocation, introspection). */
export async function findRefreshToken(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<StoredRefreshToken | null> {
  const row = await db.first<StoredRefreshTokenRow>(
    `SELECT r.grant_id, r.client_id, g.tenant_id, g.user_id, r.scope, r.created_at, r.expires_at,
       g.dpop_jkt, g.resources,
       (r.consumed_at IS NULL AND r.expires_at > ?2 AND g.revoked_at IS NULL AND g.expires_at > ?2
         AND u.enabled = 1 AND c.enabled = 1) AS active
     FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id
       JOIN users u ON u.id = g.user_id JOIN clients c ON c.id = r.client_id
     WHERE r.token_hash = ?1`,
    tokenHash,
    now,
  )
  return row === null ? null : rowToStoredRefreshToken(row)
}
