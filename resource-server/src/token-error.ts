/**
 * The error codes a resource answers with: RFC 6750 §3.1 for tokens, RFC 9449 §7.1 for DPoP
 * proofs, and `temporarily_unavailable` when the issuer's keys cannot be read (no verdict on the
 * token).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 RFC 6750 §3.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1}
 */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_dpop_proof'
  | 'temporarily_unavailable'

const STATUS: Record<TokenErrorCode, 400 | 401 | 403 | 503> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  invalid_dpop_proof: 401,
  temporarily_unavailable: 503,
}

/** Details of a {@link TokenError}. */
export interface TokenErrorOptions {
  /** Whether the challenge is DPoP: the token is bound, or was presented as DPoP. */
  dpop?: boolean
  /** With insufficient_scope: the scope the request needs (RFC 6750 §3.1). */
  scope?: string
  /**
   * The request carried no credentials at all: 401, and the challenge names no error code
   * (RFC 6750 §3.1); the JSON body still says `invalid_request`.
   */
  missing?: boolean
  /** For logs only. */
  cause?: unknown
}

/**
 * Why a request's access token was refused. `description` is wire-safe ASCII (RFC 6749 §5.2):
 * never the token or anything the client sent.
 */
export class TokenError extends Error {
  readonly status: 400 | 401 | 403 | 503
  readonly dpop: boolean
  readonly scope: string | undefined
  readonly missing: boolean

  constructor(
    readonly code: TokenErrorCode,
    readonly description: string,
    options: TokenErrorOptions = {},
  ) {
    super(`access token refused: ${code}`, { cause: options.cause })
    this.name = 'TokenError'
    this.dpop = options.dpop ?? false
    this.scope = options.scope
    this.missing = options.missing ?? false
    this.status = this.missing ? 401 : STATUS[code]
  }
}
