import type { Db } from './db'

export interface NewAuthorizationCode {
  codeHash: string
  grantId: string
  tenantId: string
  clientId: string
  userId: string
  sessionId: string
  /** Where the response went: the request's redirect_uri, or the one registered URI. */
  redirectUri: string
  /** Whether the request named it (then the token request must name it too, RFC 6749 §4.1.3). */
  redirectUriExplicit: boolean
  scope: string
  nonce: string | undefined
  codeChallenge: string | undefined
  /** The thumbprint of the DPoP key the token request must prove (RFC 9449 §10). */
  dpopJkt: string | undefined
  /** The resource identifiers the request named (RFC 8707), or undefined for none. */
  resources: readonly string[] | undefined
  /** Whether one of them requires DPoP: then the code is redeemed only with a proof. */
  requireDpop: boolean
  authTime: number
  amr: readonly string[]
  createdAt: number
  expiresAt: number
}

/** The statement that stores an authorization code (by its hash only, checklist C07). */
export function insertAuthorizationCodeStatement(
  db: Db,
  code: NewAuthorizationCode,
): D1PreparedStatement {
  return db.prepare(
    `INSERT INTO authorization_codes (code_hash, grant_id, tenant_id, client_id, user_id, session_id,
       redirect_uri, scope, nonce, code_challenge, auth_time, created_at, expires_at,
       redirect_uri_explicit, dpop_jkt, amr, resources, require_dpop)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)`,
    code.codeHash,
    code.grantId,
    code.tenantId,
    code.clientId,
    code.userId,
    code.sessionId,
    code.redirectUri,
    code.scope,
    code.nonce ?? null,
    code.codeChallenge ?? null,
    code.authTime,
    code.createdAt,
    code.expiresAt,
    code.redirectUriExplicit ? 1 : 0,
    code.dpopJkt ?? null,
    JSON.stringify(code.amr),
    code.resources === undefined ? null : JSON.stringify(code.resources),
    code.requireDpop ? 1 : 0,
  )
}
