import type { ClientCredentialsRecord } from './client-authentication'
import { findClientCredentialsStatement, toClientCredentialsRecord } from './client-authentication'
import type { Db } from './db'
import { insertFirstRefreshTokenStatement } from './refresh-tokens'

export interface RedemptionInput {
  codeHash: string
  /** Unique to this request: marks the code as consumed by it (and only it). */
  requestId: string
  now: number
  clientId: string
  /** The redirect_uri of the token request, or '' when it sent none (allowed only when the
   * authorization request named none either). */
  redirectUri: string
  /** S256 of the code_verifier sent, or null when none was sent. */
  codeChallenge: string | null
  accessTokenJti: string
  /** The hash of the refresh token to issue, if the grant may hold one. */
  refreshTokenHash: string
  /** The caller's address, for the client's failure counter. */
  ip: string
}

export interface ConsumedCode {
  grant_id: string
  tenant_id: string
  client_id: string
  user_id: string
  session_id: string | null
  redirect_uri: string
  scope: string
  nonce: string | null
  code_challenge: string | null
  auth_time: number
  expires_at: number
}

export interface Redemption {
  /** The code this request consumed, or null (unknown, or consumed before: a replay). */
  code: ConsumedCode | null
  client: ClientCredentialsRecord | null
  /** The user's roles now; null when the user is gone. */
  userRoleIds: string[] | null
  /** True when every condition held and the grant (and its access token record) was written. */
  granted: boolean
  /** True when the grant got a refresh token (hybrid client, allowed, offline_access). */
  refreshTokenIssued: boolean
}

/**
 * Redeems an authorization code in ONE round trip and one transaction (D1 batch):
 * 1. consume it with a conditional UPDATE ... WHERE consumed_at IS NULL RETURNING, so of N
 *    concurrent redemptions exactly one wins (checklist C02, M01);
 * 2. when it was consumed before (a replay), revoke the grant it produced, and with it every
 *    token of that grant (RFC 6749 §4.1.2, RFC 9700 §4.2.4; C01);
 * 3. read the client (for its authentication) and the user's roles;
 * 4. write the grant only if the code is this request's, unexpired, issued to this client, for
 *    this redirect_uri and this PKCE challenge, client and user are enabled, and the session
 *    that authorized it was not ended since (sign-out, password reset) (C03-C05, B04, B06);
 *    then record the access token under the grant, and give the grant its first refresh token
 *    when it may hold one (checklist F01, F02).
 */
export async function redeemAuthorizationCode(db: Db, input: RedemptionInput): Promise<Redemption> {
  const results = await db.batch([
    db.prepare(
      `UPDATE authorization_codes SET consumed_at = ?2, consumed_by = ?3
       WHERE code_hash = ?1 AND consumed_at IS NULL RETURNING *`,
      input.codeHash,
      input.now,
      input.requestId,
    ),
    // changes() is the previous statement's count: 0 means the code was not consumed now.
    db.prepare(
      `UPDATE grants SET revoked_at = ?2 WHERE changes() = 0 AND revoked_at IS NULL
       AND id = (SELECT grant_id FROM authorization_codes WHERE code_hash = ?1)`,
      input.codeHash,
      input.now,
    ),
    findClientCredentialsStatement(db, input.clientId, input.ip),
    db.prepare(
      `SELECT u.enabled, (SELECT json_group_array(role_id) FROM user_roles WHERE user_id = u.id) AS role_ids
       FROM users u WHERE u.id = (SELECT user_id FROM authorization_codes WHERE code_hash = ?1)`,
      input.codeHash,
    ),
    db.prepare(
      `INSERT INTO grants (id, tenant_id, client_id, user_id, session_id, scope, auth_time, created_at,
         expires_at)
       SELECT a.grant_id, a.tenant_id, a.client_id, a.user_id, a.session_id, a.scope, a.auth_time, ?2,
         COALESCE((SELECT expires_at FROM sessions WHERE id = a.session_id), ?2 + c.access_token_lifetime)
       FROM authorization_codes a
         JOIN clients c ON c.id = a.client_id
         JOIN users u ON u.id = a.user_id
         JOIN sessions s ON s.id = a.session_id AND s.revoked_at IS NULL AND s.expires_at > ?2
       WHERE a.code_hash = ?1 AND a.consumed_by = ?3 AND a.expires_at > ?2 AND a.client_id = ?4
         AND (a.redirect_uri = ?5 OR (a.redirect_uri_explicit = 0 AND ?5 = ''))
         AND a.code_challenge IS ?6 AND c.enabled = 1 AND u.enabled = 1`,
      input.codeHash,
      input.now,
      input.requestId,
      input.clientId,
      input.redirectUri,
      input.codeChallenge,
    ),
    db.prepare(
      `INSERT INTO access_tokens (jti, grant_id, expires_at)
       SELECT ?3, a.grant_id, ?2 + c.access_token_lifetime
       FROM authorization_codes a JOIN clients c ON c.id = a.client_id
       WHERE a.code_hash = ?1 AND changes() = 1`,
      input.codeHash,
      input.now,
      input.accessTokenJti,
    ),
    insertFirstRefreshTokenStatement(db, {
      codeHash: input.codeHash,
      requestId: input.requestId,
      now: input.now,
      tokenHash: input.refreshTokenHash,
    }),
  ])
  const user = results[3]?.results[0] as { enabled: number; role_ids: string } | undefined
  return {
    code: (results[0]?.results[0] as ConsumedCode | undefined) ?? null,
    client: toClientCredentialsRecord(results[2]),
    userRoleIds:
      user === undefined || user.enabled !== 1 ? null : (JSON.parse(user.role_ids) as string[]),
    granted: (results[4]?.meta.changes ?? 0) === 1,
    refreshTokenIssued: (results[6]?.meta.changes ?? 0) === 1,
  }
}
