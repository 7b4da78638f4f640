import type { Deps } from '../deps'
import { apiAudience } from '../domain/audience'
import type { Client } from '../domain/client'
import { parseScope } from '../domain/scope'
import type { ClientCredentialsRequest } from '../domain/token-request'
import { OAuthError } from '../errors'
import { issueAccessToken } from './issue-access-token'

/** What a client-credentials client may ask for: the management API. */
const CLIENT_CREDENTIALS_SCOPES = new Set(['api'])
const DEFAULT_SCOPE = ['api']

/**
 * The client_credentials grant, for an authenticated client-credentials client (E01). No
 * refresh token (§4.4.3, E02). A request without `scope` is granted `api`. With a DPoP proof
 * (its key's thumbprint `jkt`), the token is bound to that key (RFC 9449 §5).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4 RFC 6749 §4.4}
 */
export async function grantClientCredentials(
  deps: Deps,
  client: Client,
  request: ClientCredentialsRequest,
  jkt?: string,
) {
  const scope = parseScope(request.scope)
  if (!scope.ok) throw new OAuthError('invalid_scope', 'The scope parameter is malformed')
  const unknown = scope.values.filter((value) => !CLIENT_CREDENTIALS_SCOPES.has(value))
  if (unknown.length > 0) {
    throw new OAuthError('invalid_scope', 'A requested scope is not allowed for this client')
  }
  const granted = scope.values.length > 0 ? scope.values : DEFAULT_SCOPE
  const { token, expiresIn } = await issueAccessToken(deps, {
    subject: client.id,
    clientId: client.id,
    tenantId: client.tenantId,
    roles: client.roleIds,
    scope: granted,
    audience: apiAudience(deps.config.issuer),
    lifetimeSeconds: client.accessTokenLifetime,
    jkt,
  })
  return {
    access_token: token,
    token_type: jkt === undefined ? 'Bearer' : 'DPoP',
    expires_in: expiresIn,
    scope: granted.join(' '),
  }
}
