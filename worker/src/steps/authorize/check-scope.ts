import { ACCOUNT_ADMINISTRATOR } from '../../domain/built-in-roles'
import type { Client } from '../../domain/client'
import { mayHoldRefreshToken } from '../../domain/refresh-token'
import { type ApiResource, scopesDefinedBy } from '../../domain/resource'
import { isKnownScope, parseScope } from '../../domain/scope'
import { OAuthError } from '../../errors'
import type { ResponseType } from './check-response-type'

/**
 * The scope an authorization may grant: known values only (invalid_scope otherwise, checklist
 * A03); `openid` when none is asked; `openid` or `api` among them, so the access token is for
 * some resource. `api`, the management API, only for a client that itself holds Account
 * Administrator: any other application of the tenant could otherwise obtain, silently with
 * prompt=none, a token that administers the tenant for a signed-in administrator.
 * `offline_access` is kept only for a hybrid client whose administrator allowed refresh tokens
 * and for a third-party client (whose user is asked on the consent page), and dropped for any
 * other client, not refused (docs/architecture.md; OIDC Core §11; F01, F02).
 * `code id_token` needs `openid`: without it the front-channel ID token would answer a request
 * that is not an OpenID Connect request (checklist N06). With `resource` (RFC 8707), the scopes
 * the named resources define are known too, and the resources are what the token is for.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2.1 RFC 8707 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.3 RFC 6749 §3.3}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#HybridAuthRequest
 *   OIDC Core §3.3.2.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#OfflineAccess OIDC Core §11}
 */
export function checkScope(
  scope: string | undefined,
  client: Client,
  responseType: ResponseType,
  resources: readonly ApiResource[] = [],
): string[] {
  const parsed = parseScope(scope)
  if (!parsed.ok) throw new OAuthError('invalid_scope', 'The scope parameter is malformed')
  const defined = scopesDefinedBy(resources)
  if (parsed.values.some((value) => !isKnownScope(value) && !defined.has(value))) {
    throw new OAuthError('invalid_scope', 'A requested scope is not supported')
  }
  const values = parsed.values.length === 0 ? ['openid'] : parsed.values
  if (!values.includes('openid') && !values.includes('api') && resources.length === 0) {
    throw new OAuthError('invalid_scope', 'The scope must include openid or api')
  }
  if (responseType === 'code id_token' && !values.includes('openid')) {
    throw new OAuthError('invalid_scope', 'response_type code id_token needs the openid scope')
  }
  if (values.includes('api') && !client.roleIds.includes(ACCOUNT_ADMINISTRATOR)) {
    throw new OAuthError('invalid_scope', 'This client may not request the api scope')
  }
  return mayHoldRefreshToken(values, client)
    ? values
    : values.filter((value) => value !== 'offline_access')
}
