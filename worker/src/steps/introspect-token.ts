import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { findTokenSubjectState, tokenStillStands } from '../storage/token-subjects'
import { identifyToken } from './identify-token'

const INACTIVE = { active: false } as const

/**
 * What a caller may learn about a token. A refresh token only to its own client; an access token
 * to its own client and to the tenant's resource servers (client-credentials clients), while its
 * client and user stand, it is not revoked, and it was issued after its client was last disabled
 * (N04). Anything else, expired, revoked, unknown or foreign, is exactly `{"active":false}`
 * (K02); an active token has `active scope client_id sub exp iat iss token_type`, and `aud` for
 * access tokens (K03); `cnf.jkt` and `token_type: DPoP` for a token bound to a DPoP key.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-6.2 RFC 9449 §6.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 RFC 7662 §2.2}
 */
export async function introspectToken(deps: Deps, caller: Client, token: string) {
  const tenantId = caller.tenantId
  const now = deps.now()
  const found = await identifyToken(deps, token, now)
  const issuer = deps.config.issuer
  if (found.kind === 'refresh_token') {
    const { stored } = found
    if (!stored.active || stored.tenantId !== tenantId || stored.clientId !== caller.id) {
      return INACTIVE
    }
    return {
      active: true,
      scope: stored.scope,
      client_id: stored.clientId,
      sub: stored.userId,
      exp: stored.expiresAt,
      iat: stored.createdAt,
      iss: issuer,
      token_type: 'refresh_token',
      // RFC 9449 §6.2: the key the grant's refresh tokens are bound to.
      ...(stored.dpopJkt !== null && { cnf: { jkt: stored.dpopJkt } }),
    }
  }
  if (found.kind !== 'access_token' || found.expired) return INACTIVE
  const { claims } = found
  if (
    claims.tid !== tenantId ||
    typeof claims.client_id !== 'string' ||
    typeof claims.sub !== 'string' ||
    typeof claims.iat !== 'number' ||
    (claims.client_id !== caller.id && caller.type !== 'client-credentials')
  ) {
    return INACTIVE
  }
  const userId = claims.sub === claims.client_id ? undefined : claims.sub
  const state = await findTokenSubjectState(deps.db, {
    clientId: claims.client_id,
    userId,
    jti: String(claims.jti),
    issuedAt: claims.iat,
  })
  if (!tokenStillStands(state)) return INACTIVE
  const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt
  return {
    active: true,
    scope: claims.scope,
    client_id: claims.client_id,
    sub: claims.sub,
    exp: claims.exp,
    iat: claims.iat,
    iss: issuer,
    // RFC 9449 §6.2: a bound token is of type DPoP, with the thumbprint of its key.
    token_type: typeof jkt === 'string' ? 'DPoP' : 'Bearer',
    ...(typeof jkt === 'string' && { cnf: { jkt } }),
    aud: claims.aud,
    jti: claims.jti,
  }
}
