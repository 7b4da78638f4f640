import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../context'
import { ACCESS_TOKEN_REFUSALS, accessTokenChallenge } from '../../domain/access-token-challenge'
import { apiAudience, apiResourceMetadataUrl } from '../../domain/audience'
import { readAuthorization } from '../../domain/bearer'
import { ACCOUNT_ADMINISTRATOR } from '../../domain/built-in-roles'
import { ProblemError, problems } from '../../errors'
import { AccessTokenRejected, verifyAccessToken } from '../../steps/verify-access-token'
import { requestHtu } from '../request-htu'

const REALM = 'api'

/**
 * Guards /api/v1/tenants/{tenantId}/...: an access token issued by this server for the
 * management API (scope `api`, audience {issuer}/api), as Bearer, or as DPoP with a proof when it
 * is bound to a key (RFC 9449 §7), whose tenant is the path's and whose subject holds Account
 * Administrator now. 401 with a Bearer challenge for a missing or bad token (a DPoP challenge
 * for a bound token or the DPoP scheme), 403 for anything else (RFC 6750 §3.1). For a user's
 * token the client must hold Account Administrator too. The 401 and insufficient_scope
 * challenges name the API's protected-resource metadata (`resource_metadata`, RFC 9728 §5.1), so
 * a client can discover where to get a token, and with which scope.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-5.1 RFC 9728 §5.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 RFC 6750 §3.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1}
 */
export function requireAdministrator(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const resourceMetadata = apiResourceMetadataUrl(c.get('config').issuer)
    const presented = readAuthorization(c.req.header('Authorization'))
    if (presented === undefined) {
      // RFC 6750 §3.1: no error code when the request has no authentication at all.
      throw new ProblemError(
        401,
        'unauthorized',
        'Authentication required',
        'A bearer access token is required',
        {
          headers: {
            'WWW-Authenticate': accessTokenChallenge(REALM, { dpop: false, resourceMetadata }),
          },
        },
      )
    }
    let verified: Awaited<ReturnType<typeof verifyAccessToken>>
    try {
      verified = await verifyAccessToken(
        c.get('deps'),
        { ...presented, proof: c.req.header('DPoP'), method: c.req.method, url: requestHtu(c) },
        apiAudience(c.get('config').issuer),
      )
    } catch (error) {
      if (!(error instanceof AccessTokenRejected)) throw error
      throw new ProblemError(
        401,
        'unauthorized',
        'Authentication required',
        ACCESS_TOKEN_REFUSALS[error.problem],
        {
          headers: {
            ...error.headers,
            'WWW-Authenticate': accessTokenChallenge(REALM, {
              dpop: error.dpop,
              error: error.problem,
              resourceMetadata,
            }),
          },
          cause: error,
        },
      )
    }
    if (!verified.scope.includes('api')) {
      throw new ProblemError(
        403,
        'forbidden',
        'Forbidden',
        'The access token lacks the api scope',
        {
          headers: {
            'WWW-Authenticate': accessTokenChallenge(REALM, {
              dpop: verified.jkt !== undefined,
              error: 'insufficient_scope',
              scope: 'api',
              resourceMetadata,
            }),
          },
        },
      )
    }
    if (verified.tenantId !== c.req.param('tenantId')) {
      throw problems.forbidden('The access token belongs to another tenant')
    }
    // A user token acts with the roles the user AND the client hold now: an administrator
    // signed in to an ordinary application does not lend it the tenant.
    if (
      !verified.roleIds.includes(ACCOUNT_ADMINISTRATOR) ||
      !verified.clientRoleIds.includes(ACCOUNT_ADMINISTRATOR)
    ) {
      throw problems.forbidden('The Account Administrator role is required')
    }
    c.set('actor', {
      type: verified.userId === undefined ? 'client' : 'user',
      id: verified.subject,
    })
    await next()
  }
}
