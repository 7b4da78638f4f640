import { ACCESS_TOKEN_LIFETIME_MAX_SECONDS } from '../domain/client'
import { markRegistrationUsedStatement } from './client-registrations'
import type { Db } from './db'
import { insertFirstRefreshTokenStatement } from './refresh-tokens'

export interface RedemptionInput {
  codeHash: string
  /** Unique to this request: marks the code as consumed by it (and only it). */
  requestId: string
  now: number
  /** The authenticated client: only a code issued to it is consumed, or its replay detected. */
  clientId: string
  /** The redirect_uri of the token request, or '' when it sent none (allowed only when the
   * authorization request named none either). */
  redirectUri: string
  /** S256 of the code_verifier sent, or null when none was sent. */
  codeChallenge: string | null
  accessTokenJti: string
  /** The hash of the refresh token to issue, if the grant may hold one. */
  refreshTokenHash: string
  /** The thumbprint of the DPoP key the request proved, or null without a proof (RFC 9449). */
  dpopJkt: string | null
  /** The resources the token request names (RFC 8707), or null for all the code's. */
  resources: readonly string[] | null
}

/** An authorization code this request consumed: what its grant and tokens are made of. */
export interface ConsumedCode {
  grantId: string
  tenantId: string
  clientId: string
  userId: string
  sessionId: string | null
  scope: string[]
  nonce: string | null
  authTime: number
  amr: string[]
  expiresAt: number
  /** The resources named at /authorize (RFC 8707), or null when none were. */
  resources: string[] | null
}

interface ConsumedCodeRow {
  grant_id: string
  tenant_id: string
  client_id: string
  user_id: string
  session_id: string | null
  scope: string
  nonce: string | null
  auth_time: number
  amr: string
  expires_at: number
  resources: string | null
}

function rowToConsumedCode(row: ConsumedCodeRow): ConsumedCode {
  return {
    grantId: row.grant_id,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    userId: row.user_id,
    sessionId: row.session_id,
    scope: row.scope.split(' '),
    nonce: row.nonce,
    authTime: row.auth_time,
    amr: JSON.parse(row.amr) as string[],
    expiresAt: row.expires_at,
    resources: row.resources === null ? null : (JSON.parse(row.resources) as string[]),
  }
}

export type Redemption =
  | {
      granted: true
      code: ConsumedCode
      /** The user's roles now. */
      userRoleIds: string[]
      /** True when the grant got a refresh token (hybrid client, allowed, offline_access). */
      refreshTokenIssued: boolean
    }
  | {
      granted: false
      /** Why, for logs: not this request's to consume (unknown, another client's, another
       * redirect_uri or PKCE verifier, or consumed before: a replay), or refused once consumed. */
      consumed: boolean
      /** The code is this client's and bound to a DPoP key (`dpop_jkt`) the request did not
       * prove (RFC 9449 §10). */
      dpopMismatch: boolean
      /** The token request names a resource the authorization request did not (RFC 8707). */
      targetMismatch: boolean
    }

/**
 * The conditions under which a code is this client's to redeem: issued to it, for this
 * redirect_uri and this PKCE challenge (RFC 6749 §4.1.3, RFC 7636 §4.6; C04, C05, B04, B06), and
 * with a proof of the DPoP key named at /authorize, if one was (RFC 9449 §10), or of some key
 * when a resource it names requires DPoP; for resources among those named at /authorize, if the
 * token request names some (RFC 8707 §2.2: it may narrow them, never widen them). A request that
 * does not meet them consumes nothing and revokes nothing (N01).
 */
const CODE_MATCHES = `code_hash = ?1 AND client_id = ?4
  AND (redirect_uri = ?5 OR (redirect_uri_explicit = 0 AND ?5 = ''))
  AND code_challenge IS ?6 AND (dpop_jkt IS NULL OR dpop_jkt = ?7)
  AND (require_dpop = 0 OR ?7 IS NOT NULL)
  AND (?8 IS NULL OR (resources IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM json_each(?8) AS asked
    WHERE asked.value NOT IN (SELECT value FROM json_each(resources)))))`

/**
 * Redeems an authorization code for an authenticated client in ONE round trip and one
 * transaction (D1 batch):
 * 1. consume it with a conditional UPDATE ... WHERE consumed_at IS NULL RETURNING, only when it
 *    is unexpired and matches (CODE_MATCHES), so of N concurrent redemptions exactly one wins
 *    (checklist C02, M01), and nobody but its client, with its verifier, can burn it (N01);
 * 2. when it was consumed before by a request that matched as well (a replay by the same
 *    client), revoke the grant it produced, and with it every token of that grant (RFC 6749
 *    §4.1.2, RFC 9700 §4.2.4; C01);
 * 3. read the user's roles;
 * 4. write the grant only if the code is this request's, client and user are enabled, the code
 *    was issued after its client was last disabled (a disable ends outstanding codes too, for
 *    good; N04), and the session that authorized it was not ended since (sign-out, password
 *    reset; C03); bind the grant to the DPoP key the request proved, if any (its refresh tokens
 *    then need a proof of that key, RFC 9449 §5); then record the access token under the grant,
 *    and give the grant its first refresh token when it may hold one (checklist F01, F02).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 RFC 6749 §4.1.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 RFC 6749 §4.1.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4 RFC 9700 §4.2.4}
 */
export async function redeemAuthorizationCode(db: Db, input: RedemptionInput): Promise<Redemption> {
  const binds = [
    input.codeHash,
    input.now,
    input.requestId,
    input.clientId,
    input.redirectUri,
    input.codeChallenge,
    input.dpopJkt,
    input.resources === null ? null : JSON.stringify(input.resources),
  ]
  const results = await db.batch([
    db.prepare(
      `UPDATE authorization_codes SET consumed_at = ?2, consumed_by = ?3
       WHERE ${CODE_MATCHES} AND consumed_at IS NULL AND expires_at > ?2
       RETURNING grant_id, tenant_id, client_id, user_id, session_id, scope, nonce, auth_time,
         amr, expires_at, resources`,
      ...binds,
    ),
    db.prepare(
      `UPDATE grants SET revoked_at = ?2 WHERE revoked_at IS NULL AND id = (
         SELECT grant_id FROM authorization_codes
         WHERE ${CODE_MATCHES} AND consumed_at IS NOT NULL AND consumed_by != ?3)`,
      ...binds,
    ),
    db.prepare(
      `SELECT u.enabled, (SELECT json_group_array(role_id) FROM user_roles WHERE user_id = u.id) AS role_ids
       FROM users u WHERE u.id = (SELECT user_id FROM authorization_codes WHERE code_hash = ?1)`,
      input.codeHash,
    ),
    db.prepare(
      `INSERT INTO grants (id, tenant_id, client_id, user_id, session_id, scope, auth_time, amr,
         created_at, expires_at, dpop_jkt, resources)
       SELECT a.grant_id, a.tenant_id, a.client_id, a.user_id, a.session_id, a.scope, a.auth_time,
         a.amr, ?2,
         COALESCE((SELECT expires_at FROM sessions WHERE id = a.session_id), ?2 + c.access_token_lifetime),
         ?5, a.resources
       FROM authorization_codes a
         JOIN clients c ON c.id = a.client_id
         JOIN users u ON u.id = a.user_id
         JOIN sessions s ON s.id = a.session_id AND s.revoked_at IS NULL AND s.expires_at > ?2
       WHERE a.code_hash = ?1 AND a.consumed_by = ?3 AND a.client_id = ?4
         AND c.enabled = 1 AND u.enabled = 1 AND a.created_at > c.tokens_valid_after`,
      ...binds.slice(0, 4),
      input.dpopJkt,
    ),
    db.prepare(
      `INSERT INTO access_tokens (jti, grant_id, expires_at)
       SELECT ?3, a.grant_id,
         ?2 + CASE WHEN a.resources IS NULL THEN c.access_token_lifetime ELSE ?4 END
       FROM authorization_codes a JOIN clients c ON c.id = a.client_id
       WHERE a.code_hash = ?1 AND changes() = 1`,
      input.codeHash,
      input.now,
      input.accessTokenJti,
      // A resource's own lifetime applies; the row outlives its token, never the reverse.
      ACCESS_TOKEN_LIFETIME_MAX_SECONDS,
    ),
    insertFirstRefreshTokenStatement(db, {
      codeHash: input.codeHash,
      requestId: input.requestId,
      now: input.now,
      tokenHash: input.refreshTokenHash,
    }),
    // Why this client's code did not match, for the error: a DPoP key the request did not
    // prove, or a resource the authorization request did not name.
    db.prepare(
      `SELECT
         (dpop_jkt IS NOT NULL AND dpop_jkt IS NOT ?3) OR (require_dpop = 1 AND ?3 IS NULL)
           AS dpop_mismatch,
         ?4 IS NOT NULL AND (resources IS NULL OR EXISTS (
           SELECT 1 FROM json_each(?4) AS asked
           WHERE asked.value NOT IN (SELECT value FROM json_each(resources)))) AS target_mismatch
       FROM authorization_codes WHERE code_hash = ?1 AND client_id = ?2`,
      input.codeHash,
      input.clientId,
      input.dpopJkt,
      binds[7],
    ),
    // A dynamic registration counts as used from its first redeemed code (issue 17: unused
    // registrations are purged); last, so the indexes above stay as they are.
    markRegistrationUsedStatement(db, {
      codeHash: input.codeHash,
      requestId: input.requestId,
      clientId: input.clientId,
      now: input.now,
    }),
  ])
  const row = results[0]?.results[0] as ConsumedCodeRow | undefined
  const user = results[2]?.results[0] as { enabled: number; role_ids: string } | undefined
  const granted = (results[3]?.meta.changes ?? 0) === 1
  if (row === undefined || !granted || user === undefined || user.enabled !== 1) {
    const why = results[6]?.results[0] as
      | { dpop_mismatch: number; target_mismatch: number }
      | undefined
    return {
      granted: false,
      consumed: row !== undefined,
      dpopMismatch: why?.dpop_mismatch === 1,
      targetMismatch: why?.target_mismatch === 1,
    }
  }
  return {
    granted: true,
    code: rowToConsumedCode(row),
    userRoleIds: JSON.parse(user.role_ids) as string[],
    refreshTokenIssued: (results[5]?.meta.changes ?? 0) === 1,
  }
}
