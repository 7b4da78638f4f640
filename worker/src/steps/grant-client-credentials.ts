import type { Deps } from '../deps'
import { apiAudience } from '../domain/audience'
import type { Client } from '../domain/client'
import { resourceTarget, scopesDefinedBy } from '../domain/resource'
import { parseScope } from '../domain/scope'
import type { ClientCredentialsRequest } from '../domain/token-request'
import { OAuthError } from '../errors'
import { issueAccessToken } from './issue-access-token'
import { resolveResources } from './resolve-resources'

/** What a client-credentials client may ask for without `resource`: the management API. */
const CLIENT_CREDENTIALS_SCOPES = new Set(['api'])
const DEFAULT_SCOPE = ['api']

const NOT_ALLOWED = 'A requested scope is not allowed for this client'

/**
 * The client_credentials grant, for an authenticated client-credentials client (E01). No
 * refresh token (§4.4.3, E02). A request without `scope` is granted `api`. With `resource`
 * (RFC 8707), the token is for those resources: scope among the values they define (all of them
 * when none is asked), their lifetime, and a DPoP proof required when one of them requires it.
 * With a DPoP proof (its key's thumbprint `jkt`), the token is bound to that key (RFC 9449 §5).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4 RFC 6749 §4.4}
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2.2 RFC 8707 §2.2}
 */
export async function grantClientCredentials(
  deps: Deps,
  client: Client,
  request: ClientCredentialsRequest,
  jkt?: string,
) {
  const scope = parseScope(request.scope)
  if (!scope.ok) throw new OAuthError('invalid_scope', 'The scope parameter is malformed')
  let target = {
    audience: apiAudience(deps.config.issuer) as string | string[],
    scope: scope.values.length > 0 ? scope.values : DEFAULT_SCOPE,
    lifetimeSeconds: client.accessTokenLifetime,
    requireDpop: false,
  }
  if (request.resources.length === 0) {
    if (scope.values.some((value) => !CLIENT_CREDENTIALS_SCOPES.has(value))) {
      throw new OAuthError('invalid_scope', NOT_ALLOWED)
    }
  } else {
    const resources = await resolveResources(deps, client, request.resources, {
      managementApi: true,
    })
    const defined = scopesDefinedBy(resources)
    if (scope.values.some((value) => !defined.has(value))) {
      throw new OAuthError('invalid_scope', NOT_ALLOWED)
    }
    target = resourceTarget(resources, scope.values.length > 0 ? scope.values : [...defined])
    if (target.requireDpop && jkt === undefined) {
      throw new OAuthError('invalid_dpop_proof', 'A requested resource requires a DPoP proof')
    }
  }
  const { token, expiresIn } = await issueAccessToken(deps, {
    subject: client.id,
    clientId: client.id,
    tenantId: client.tenantId,
    roles: client.roleIds,
    scope: target.scope,
    audience: target.audience,
    lifetimeSeconds: target.lifetimeSeconds,
    jkt,
  })
  return {
    access_token: token,
    token_type: jkt === undefined ? 'Bearer' : 'DPoP',
    expires_in: expiresIn,
    scope: target.scope.join(' '),
  }
}
