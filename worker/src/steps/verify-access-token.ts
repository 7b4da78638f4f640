import type { Deps } from '../deps'
import { findTokenSubjectState, tokenStillStands } from '../storage/token-subjects'
import { StorageUnavailableError } from '../storage/unavailable'

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
}

export type AccessTokenProblem = 'invalid' | 'revoked'

export class AccessTokenRejected extends Error {
  constructor(readonly problem: AccessTokenProblem) {
    super(`access token ${problem}`)
    this.name = 'AccessTokenRejected'
  }
}

/**
 * Verifies a bearer access token issued by this server: signature by a published key, `typ:
 * at+jwt` (so an ID token is refused, checklist G08/L04), issuer, audience, expiry; then that its
 * client and user still stand, its `jti` was not revoked and it was issued after its client was
 * last disabled (D1, one round trip; N04). `origin` is the request's `Origin`, if the caller
 * wants to know whether the token's client accepts it.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-4 RFC 9068 §4}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 RFC 6750 §3.1}
 */
export async function verifyAccessToken(
  deps: Deps,
  token: string,
  audience: string,
  origin?: string,
): Promise<VerifiedAccessToken> {
  let payload: Record<string, unknown>
  try {
    ;({ payload } = await deps.keyring.verify(deps.db, token, {
      issuer: deps.config.issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['ES256', 'RS256'],
      requiredClaims: ['sub', 'client_id', 'tid', 'jti', 'exp', 'iat'],
    }))
  } catch (error) {
    // D1 did not answer while the keys were read: that is not a verdict on the token.
    if (error instanceof StorageUnavailableError) throw error
    throw new AccessTokenRejected('invalid')
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
    throw new AccessTokenRejected('invalid')
  }
  const userId = sub === clientId ? undefined : sub
  const state = await findTokenSubjectState(deps.db, {
    clientId,
    userId,
    jti,
    issuedAt: iat,
    origin,
  })
  if (!tokenStillStands(state)) throw new AccessTokenRejected('revoked')
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
  }
}
