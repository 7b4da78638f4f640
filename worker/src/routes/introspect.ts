import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import type { Client } from '../domain/client'
import { OAuthError } from '../errors'
import { authenticateClient } from '../steps/authenticate-client'
import { identifyToken } from '../steps/identify-token'
import { parseFormRequest } from '../steps/parse-token-request'
import { nowSeconds } from '../storage/db'
import { findTokenSubjectState } from '../storage/token-subjects'

const NO_STORE = { 'Cache-Control': 'no-store' }
const INACTIVE = { active: false } as const

/**
 * Token introspection (RFC 7662) for resource servers: only confidential clients (K01; public
 * clients and unauthenticated callers get 401 invalid_client), only for tokens of their own
 * tenant, and only for tokens they may see (see introspect). An expired, revoked, unknown or foreign token is exactly `{"active":false}` (K02); an
 * active one has `active scope client_id sub exp iat iss token_type` and `aud` (K03). Never
 * cached (K04).
 */
export function introspectRoutes() {
  const app = new Hono<AppEnv>()
  app.all('/', async (c) => {
    const params = await parseFormRequest(c)
    const caller = await authenticateClient(c, params)
    if (caller.method === 'none') {
      throw new OAuthError('invalid_client', 'Introspection needs client authentication', {
        headers: { 'WWW-Authenticate': 'Basic realm="edge-identity"' },
      })
    }
    const token = params.get('token')
    if (token === undefined) throw new OAuthError('invalid_request', 'token is required')
    return c.json(await introspect(c, token, caller.client), 200, NO_STORE)
  })
  return app
}

/**
 * Who may see what: a refresh token only to its own client; an access token to its own client and
 * to the tenant's resource servers (client-credentials clients); anything else is inactive.
 */
async function introspect(c: AppContext, token: string, caller: Client) {
  const tenantId = caller.tenantId
  const now = nowSeconds()
  const found = await identifyToken(c, token, now)
  const issuer = c.get('config').issuer
  if (found.kind === 'refresh_token') {
    const { stored } = found
    if (stored.active !== 1 || stored.tenant_id !== tenantId || stored.client_id !== caller.id) {
      return INACTIVE
    }
    return {
      active: true,
      scope: stored.scope,
      client_id: stored.client_id,
      sub: stored.user_id,
      exp: stored.expires_at,
      iat: stored.created_at,
      iss: issuer,
      token_type: 'refresh_token',
    }
  }
  if (found.kind !== 'access_token' || found.expired) return INACTIVE
  const { claims } = found
  if (
    claims.tid !== tenantId ||
    typeof claims.client_id !== 'string' ||
    typeof claims.sub !== 'string' ||
    (claims.client_id !== caller.id && caller.type !== 'client-credentials')
  ) {
    return INACTIVE
  }
  const userId = claims.sub === claims.client_id ? undefined : claims.sub
  const state = await findTokenSubjectState(c.get('db'), {
    clientId: claims.client_id,
    userId,
    jti: String(claims.jti),
  })
  if (state.revoked || !state.clientEnabled || state.userEnabled === false) return INACTIVE
  return {
    active: true,
    scope: claims.scope,
    client_id: claims.client_id,
    sub: claims.sub,
    exp: claims.exp,
    iat: claims.iat,
    iss: issuer,
    token_type: 'Bearer',
    aud: claims.aud,
    jti: claims.jti,
  }
}
