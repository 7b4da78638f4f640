import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../context'
import { apiAudience } from '../../domain/audience'
import { ACCOUNT_ADMINISTRATOR } from '../../domain/roles'
import { ProblemError, problems } from '../../errors'
import { AccessTokenRejected, verifyAccessToken } from '../../steps/verify-access-token'

/** RFC 6750 §2.1 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Guards /api/v1/tenants/{tenantId}/...: a bearer access token issued by this server for the
 * management API (scope `api`, audience {issuer}/api), whose tenant is the path's and whose
 * subject holds Account Administrator now. 401 with a Bearer challenge for a missing or bad
 * token, 403 for anything else (RFC 6750 §3.1).
 */
export function requireAdministrator(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = BEARER.exec(c.req.header('Authorization') ?? '')?.[1]
    if (token === undefined) {
      // RFC 6750 §3.1: no error code when the request has no authentication at all.
      throw new ProblemError(
        401,
        'unauthorized',
        'Authentication required',
        'A bearer access token is required',
        {
          headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
        },
      )
    }
    let verified: Awaited<ReturnType<typeof verifyAccessToken>>
    try {
      verified = await verifyAccessToken(c, token, apiAudience(c.get('config').issuer))
    } catch (error) {
      if (error instanceof AccessTokenRejected) {
        throw problems.unauthorized('The access token is invalid, expired or revoked')
      }
      throw error
    }
    if (!verified.scope.includes('api')) {
      throw new ProblemError(
        403,
        'forbidden',
        'Forbidden',
        'The access token lacks the api scope',
        {
          headers: {
            'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="api"',
          },
        },
      )
    }
    if (verified.tenantId !== c.req.param('tenantId')) {
      throw problems.forbidden('The access token belongs to another tenant')
    }
    if (!verified.roleIds.includes(ACCOUNT_ADMINISTRATOR)) {
      throw problems.forbidden('The Account Administrator role is required')
    }
    c.set('actor', {
      type: verified.userId === undefined ? 'client' : 'user',
      id: verified.subject,
    })
    await next()
  }
}
