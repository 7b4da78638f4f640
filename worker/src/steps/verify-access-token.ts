import type { Deps } from '../deps'
import type { PresentedAuthorization } from '../domain/bearer'
import { OAuthError } from '../errors'
import { findTokenSubjectState, tokenStillStands } from '../storage/token-subjects'
import { StorageUnavailableError } from '../storage/unavailable'
import { checkDpopProof } from './check-dpop-proof'

/** An access token as a request presented it, with what a DPoP proof of it must match. */
export interface PresentedAccessToken extends PresentedAuthorization {
  /** The request's `DPoP` header, if any. */
  proof: string | undefined
  /** The request's method and URL (`htm`, `htu`). */
  method: string
  url: string
}

/** The claims of one of our access tokens, checked and current. */
export interface VerifiedAccessToken {
  subject: string
  clientId: string
  tenantId: string
  /** The user id, or undefined for a client-credentials token (sub = client_id). */
  userId: string | undefined
  scope: string[]
  /** The roles the subject holds now (D1), not the ones the token was issued with. */
  roleIds: string[]
  /** The roles the token's client holds now. */
  clientRoleIds: string[]
  jti: string
  expiresAt: number
  /** The user's email and name, for userinfo (user tokens only). */
  profile: { email: string; name: string } | undefined
  /** Whether the `origin` asked about is one the token's client accepts. */
  originAllowed: boolean
  /** The thumbprint of the DPoP key the token is bound to (`cnf.jkt`), if it is. */
  jkt: string | undefined
}

/** Why a token was refused: the RFC 6750 §3.1 / RFC 9449 §7.1 error code the challenge names. */
export type AccessTokenProblem = 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce'

export class AccessTokenRejected extends Error {
  constructor(
    readonly problem: AccessTokenProblem,
    /** Whether the challenge is DPoP: the token is bound, or was presented as DPoP. */
    readonly dpop: boolean,
    /** Headers the answer must carry (a fresh `DPoP-Nonce`). */
    readonly headers: Record<string, string> = {},
    cause?: unknown,
  ) {
    super(`access token refused: ${problem}`, { cause })
    this.name = 'AccessTokenRejected'
  }
}

/**
 * Verifies a bearer access token issued by this server: signature by a published key, `typ:
 * at+jwt` (so an ID token is refused, checklist G08/L04), issuer, audience, expiry; then that its
 * client and user still stand, its `jti` was not revoked and it was issued after its client was
 * last disabled (D1, one round trip; N04). `origin` is the request's `Origin`, if the caller
 * wants to know whether the token's client accepts it.
 *
 * The one DPoP rule of every resource (RFC 9449 §7): a token bound to a key (`cnf.jkt`) is
 * honoured only as `Authorization: DPoP` with a proof of that key for this request and this token
 * (`ath`), never as Bearer; an unbound token is never honoured as DPoP.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-4 RFC 9068 §4}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7 RFC 9449 §7}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 RFC 6750 §3.1}
 */
export async function verifyAccessToken(
  deps: Deps,
  presented: PresentedAccessToken,
  audience: string,
  origin?: string,
): Promise<VerifiedAccessToken> {
  let payload: Record<string, unknown>
  const asDpop = presented.scheme === 'DPoP'
  try {
    ;({ payload } = await deps.keyring.verify(deps.db, presented.token, {
      issuer: deps.config.issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['ES256', 'RS256'],
      requiredClaims: ['sub', 'client_id', 'tid', 'jti', 'exp', 'iat'],
    }))
  } catch (error) {
    // D1 did not answer while the keys were read: that is not a verdict on the token.
    if (error instanceof StorageUnavailableError) throw error
    throw new AccessTokenRejected('invalid_token', asDpop)
  }
  const { sub, client_id: clientId, tid, jti, exp, iat, scope } = payload
  if (
    typeof sub !== 'string' ||
    typeof clientId !== 'string' ||
    typeof tid !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof iat !== 'number'
  ) {
    throw new AccessTokenRejected('invalid_token', asDpop)
  }
  const jkt = await checkBinding(deps, presented, payload.cnf)
  const userId = sub === clientId ? undefined : sub
  const state = await findTokenSubjectState(deps.db, {
    clientId,
    userId,
    jti,
    issuedAt: iat,
    origin,
  })
  if (!tokenStillStands(state)) throw new AccessTokenRejected('invalid_token', jkt !== undefined)
  return {
    subject: sub,
    clientId,
    tenantId: tid,
    userId,
    scope: typeof scope === 'string' ? scope.split(' ') : [],
    roleIds: state.roleIds,
    clientRoleIds: state.clientRoleIds,
    jti,
    expiresAt: exp,
    profile: state.profile,
    originAllowed: state.originAllowed,
    jkt,
  }
}

/**
 * RFC 9449 §7.1: the token's binding holds for this request. Answers the bound key's thumbprint,
 * or undefined for an unbound token presented as Bearer; refuses everything else.
 */
async function checkBinding(
  deps: Deps,
  presented: PresentedAccessToken,
  cnf: unknown,
): Promise<string | undefined> {
  const jkt = (cnf as { jkt?: unknown } | undefined)?.jkt
  if (jkt === undefined) {
    // An unbound token is a bearer token; presenting it as DPoP proves nothing about it.
    if (presented.scheme === 'DPoP') throw new AccessTokenRejected('invalid_token', true)
    return undefined
  }
  // A bound token sent as Bearer is refused: whoever stole it lacks the key (RFC 9449 §7.2).
  if (typeof jkt !== 'string' || presented.scheme !== 'DPoP') {
    throw new AccessTokenRejected('invalid_token', true)
  }
  if (presented.proof === undefined) throw new AccessTokenRejected('invalid_dpop_proof', true)
  let proved: string
  try {
    ;({ jkt: proved } = await checkDpopProof(deps, {
      proof: presented.proof,
      method: presented.method,
      url: presented.url,
      accessToken: presented.token,
      requireNonce: false,
    }))
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    const problem = error.code === 'use_dpop_nonce' ? 'use_dpop_nonce' : 'invalid_dpop_proof'
    throw new AccessTokenRejected(problem, true, error.headers, error)
  }
  // §4.3 item 12: the proof's key is the key the token is bound to.
  if (proved !== jkt) throw new AccessTokenRejected('invalid_dpop_proof', true)
  return jkt
}
