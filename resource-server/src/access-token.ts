import { errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import { TokenError } from './token-error'

/**
 * The claims of a verified access token, as handlers read them from `c.get('auth')`.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-2.2 RFC 9068 §2.2}
 */
export interface AccessTokenClaims {
  /** The token itself (to pass on, e.g. as the MCP SDK's `AuthInfo.token`). */
  token: string
  /** `sub`: the user, or the client itself for client-credentials tokens. */
  subject: string
  clientId: string
  /** The granted scope values (`scope`, split). */
  scopes: string[]
  /** `aud` as a list. */
  audience: string[]
  /** `exp` and `iat`, seconds since the epoch. */
  expiresAt: number
  issuedAt: number
  jti: string
  /** The JWK SHA-256 thumbprint the token is bound to (`cnf.jkt`, RFC 9449 §6), if it is. */
  jkt?: string
  /** Every claim, for what this interface does not name (`tid`, `roles`, ...). */
  claims: JWTPayload
}

/** How a token is checked. */
export interface AccessTokenCheck {
  issuer: string
  resource: string
  algorithms: readonly string[]
  keys: JWTVerifyGetKey
  clockToleranceSeconds: number
  now: () => number
}

/** jose errors that are a verdict on the token; anything else (key fetch) is not. */
const TOKEN_ERRORS = [
  errors.JWTClaimValidationFailed,
  errors.JWTExpired,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JWSSignatureVerificationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JWKInvalid,
]

const invalid = (dpop: boolean, cause?: unknown) =>
  new TokenError('invalid_token', 'The access token is invalid or expired', { dpop, cause })

/**
 * Verifies an RFC 9068 access token: a JWS by one of the issuer's keys with an allowed
 * asymmetric `alg`, `typ` `at+jwt` (so an ID token is refused, §4), `iss` exactly the issuer,
 * `aud` naming this resource (RFC 8707 §2), current `exp`/`nbf`/`iat` within the clock
 * tolerance, and the claims §2.2 requires. `dpop` only says which challenge a refusal gets.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-4 RFC 9068 §4}
 */
export async function verifyAccessToken(
  token: string,
  check: AccessTokenCheck,
  dpop: boolean,
): Promise<AccessTokenClaims> {
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, check.keys, {
      issuer: check.issuer,
      audience: check.resource,
      typ: 'at+jwt',
      algorithms: [...check.algorithms],
      clockTolerance: check.clockToleranceSeconds,
      currentDate: new Date(check.now() * 1000),
      requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
    }))
  } catch (error) {
    if (error instanceof TokenError) throw error
    if (TOKEN_ERRORS.some((type) => error instanceof type)) throw invalid(dpop, error)
    throw new TokenError(
      'temporarily_unavailable',
      'The authorization server keys are unavailable',
      {
        cause: error,
      },
    )
  }
  const { sub, client_id: clientId, scope, aud, exp, iat, jti, cnf } = payload
  const jkt = (cnf as { jkt?: unknown } | undefined)?.jkt
  if (
    typeof sub !== 'string' ||
    typeof clientId !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof iat !== 'number' ||
    (scope !== undefined && typeof scope !== 'string') ||
    (cnf !== undefined && typeof jkt !== 'string')
  ) {
    throw invalid(dpop)
  }
  return {
    token,
    subject: sub,
    clientId,
    scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
    audience: typeof aud === 'string' ? [aud] : (aud ?? []),
    expiresAt: exp,
    issuedAt: iat,
    jti,
    ...(typeof jkt === 'string' && { jkt }),
    claims: payload,
  }
}
