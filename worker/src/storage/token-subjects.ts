import type { Db } from './db'

/** Whether an access token's client and user still stand, and their roles now. */
export interface TokenSubjectState {
  clientEnabled: boolean
  /** Undefined for client-credentials tokens (no user). */
  userEnabled: boolean | undefined
  /** The subject's roles as they are now (the user's, or the client's for client credentials). */
  roleIds: string[]
  /** The client's roles as they are now: a user token acts with roles both hold. */
  clientRoleIds: string[]
  revoked: boolean
  /** Whether the token was issued before its client was last disabled: refused for good (N04). */
  issuedBeforeDisable: boolean
  /** The user's email and name (user tokens), for userinfo. */
  profile: { email: string; name: string } | undefined
  /** Whether the client accepts browser requests from the `origin` asked about. */
  originAllowed: boolean
}

/**
 * The one rule for honouring one of our access tokens, wherever it is presented (userinfo, the
 * management API, introspection): not revoked, issued after its client was last disabled, and
 * its client and user (if any) still enabled.
 */
export function tokenStillStands(state: TokenSubjectState): boolean {
  return (
    !state.revoked &&
    !state.issuedBeforeDisable &&
    state.clientEnabled &&
    state.userEnabled !== false
  )
}

/**
 * One round trip that tells whether a token may still be honoured: its client exists and is
 * enabled, its user (if any) exists and is enabled, its `jti` was not revoked, and the grant it
 * was issued under (user tokens) was not revoked, and it was issued after its client was last
 * disabled (`clients.tokens_valid_after`, so re-enabling a client does not revive its old
 * tokens; N04). Revocation takes effect at once because this reads D1, never a cache (checklist
 * C01, D13, J05).
 */
export async function findTokenSubjectState(
  db: Db,
  token: {
    clientId: string
    userId: string | undefined
    jti: string
    /** The token's `iat` (unix seconds). */
    issuedAt: number
    origin?: string | undefined
  },
): Promise<TokenSubjectState> {
  const row = await db.first<{
    client_enabled: number | null
    user_enabled: number | null
    user_email: string | null
    user_name: string | null
    role_ids: string
    client_role_ids: string
    revoked: number
    issued_before_disable: number
    origin_allowed: number
  }>(
    `SELECT
       (SELECT enabled FROM clients WHERE id = ?1) AS client_enabled,
       (SELECT enabled FROM users WHERE id = ?2) AS user_enabled,
       (SELECT email FROM users WHERE id = ?2) AS user_email,
       (SELECT name FROM users WHERE id = ?2) AS user_name,
       EXISTS (SELECT 1 FROM client_cors_origins WHERE client_id = ?1 AND origin = ?4) AS origin_allowed,
       CASE WHEN ?2 IS NULL
         THEN (SELECT json_group_array(role_id) FROM client_roles WHERE client_id = ?1)
         ELSE (SELECT json_group_array(role_id) FROM user_roles WHERE user_id = ?2)
       END AS role_ids,
       (SELECT json_group_array(role_id) FROM client_roles WHERE client_id = ?1) AS client_role_ids,
       (SELECT tokens_valid_after >= ?5 FROM clients WHERE id = ?1) AS issued_before_disable,
       EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = ?3)
         OR EXISTS (SELECT 1 FROM access_tokens a JOIN grants g ON g.id = a.grant_id
                    WHERE a.jti = ?3 AND g.revoked_at IS NOT NULL) AS revoked`,
    token.clientId,
    token.userId ?? null,
    token.jti,
    token.origin ?? null,
    token.issuedAt,
  )
  return {
    clientEnabled: row?.client_enabled === 1,
    userEnabled: token.userId === undefined ? undefined : row?.user_enabled === 1,
    roleIds: JSON.parse(row?.role_ids ?? '[]') as string[],
    clientRoleIds: JSON.parse(row?.client_role_ids ?? '[]') as string[],
    revoked: row?.revoked === 1,
    issuedBeforeDisable: row?.issued_before_disable === 1,
    profile:
      row?.user_email == null ? undefined : { email: row.user_email, name: row.user_name ?? '' },
    originAllowed: row?.origin_allowed === 1,
  }
}
