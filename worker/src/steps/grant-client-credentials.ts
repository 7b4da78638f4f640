import type { AppContext } from '../context'
import { apiAudience } from '../domain/audience'
import { parseScope } from '../domain/scope'
import { OAuthError } from '../errors'
import type { AuthenticatedClient } from './authenticate-client'
import { issueAccessToken } from './issue-access-token'
import type { FormParams } from './parse-token-request'

/** What a client-credentials client may ask for: the management API. */
const CLIENT_CREDENTIALS_SCOPES = new Set(['api'])
const DEFAULT_SCOPE = ['api']

/**
 * The client_credentials grant (RFC 6749 §4.4), for client-credentials clients only (a grant
 * type not allowed for the client is unauthorized_client, RFC 6749 §5.2, checklist D12 and E01).
 * No refresh token (§4.4.3, E02). A request without `scope` is granted `api`.
 */
export async function grantClientCredentials(
  c: AppContext,
  { client }: AuthenticatedClient,
  params: FormParams,
) {
  if (client.type !== 'client-credentials') {
    throw new OAuthError('unauthorized_client', 'This client may not use client_credentials')
  }
  const scope = parseScope(params.get('scope'))
  if (!scope.ok) throw new OAuthError('invalid_scope', 'The scope parameter is malformed')
  const unknown = scope.values.filter((value) => !CLIENT_CREDENTIALS_SCOPES.has(value))
  if (unknown.length > 0) {
    throw new OAuthError('invalid_scope', 'A requested scope is not allowed for this client')
  }
  const granted = scope.values.length > 0 ? scope.values : DEFAULT_SCOPE
  const { token, expiresIn } = await issueAccessToken(c, {
    subject: client.id,
    clientId: client.id,
    tenantId: client.tenantId,
    roles: client.roleIds,
    scope: granted,
    audience: apiAudience(c.get('config').issuer),
    lifetimeSeconds: client.accessTokenLifetime,
  })
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    scope: granted.join(' '),
  }
}
