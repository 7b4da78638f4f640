import type { AppContext } from '../context'
import { findTokenSubjectState } from '../storage/token-subjects'

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
  /** Whether the request's `Origin` is one the token's client accepts. */
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
 * at+jwt` (so an ID token is refused, RFC 9068 §4, checklist G08/L04), issuer, audience, expiry;
 * then that its client and user still stand and its `jti` was not revoked (D1, one round trip).
 * @see RFC 9068 §4, RFC 6750 §3.1
 */
export async function verifyAccessToken(
  c: AppContext,
  token: string,
  audience: string,
): Promise<VerifiedAccessToken> {
  const { config, keyring } = c.get('services')
  let payload: Record<string, unknown>
  try {
    ;({ payload } = await keyring.verify(c.get('db'), token, {
      issuer: config.issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['ES256', 'RS256'],
      requiredClaims: ['sub', 'client_id', 'tid', 'jti', 'exp', 'iat'],
    }))
  } catch {
    throw new AccessTokenRejected('invalid')
  }
  const { sub, client_id: clientId, tid, jti, exp, scope } = payload
  if (
    typeof sub !== 'string' ||
    typeof clientId !== 'string' ||
    typeof tid !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number'
  ) {
    throw new AccessTokenRejected('invalid')
  }
  const userId = sub === clientId ? undefined : sub
  const origin = c.req.header('Origin')
  const state = await findTokenSubjectState(c.get('db'), { clientId, userId, jti, origin })
  if (state.revoked || !state.clientEnabled || state.userEnabled === false) {
    throw new AccessTokenRejected('revoked')
  }
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
