import type { Deps } from '../deps'
import { apiResourceIdentifier } from '../domain/audience'
import type { Client } from '../domain/client'
import { type ApiResource, managementApiResource } from '../domain/resource'
import { OAuthError } from '../errors'
import { findResourcesByIdentifiers } from '../storage/resources'

export interface ResolveOptions {
  /** Whether the client may have tokens for the management API (`{issuer}/api`). */
  managementApi: boolean
}

/**
 * The resources a request names (RFC 8707 §2), already checked as indicators: the built-in
 * management API (`{issuer}/api`, or its RFC 9728 identifier `{issuer}/api/v1`, both giving
 * the audience `{issuer}/api`) and the client's tenant's registered resources, read from D1
 * only when a registered one is named. An identifier that is no resource of the tenant, or the
 * management API for a client that may not have it, is `invalid_target`.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2 RFC 8707 §2}
 */
export async function resolveResources(
  deps: Deps,
  client: Client,
  identifiers: readonly string[],
  options: ResolveOptions,
): Promise<ApiResource[]> {
  const api = managementApiResource(deps.config.issuer, client.tenantId, client.accessTokenLifetime)
  const aliases = new Set([api.identifier, apiResourceIdentifier(deps.config.issuer)])
  const named = identifiers.filter((identifier) => !aliases.has(identifier))
  if (named.length < identifiers.length && !options.managementApi) {
    throw new OAuthError('invalid_target', 'This client may not request this resource')
  }
  const registered = await findResourcesByIdentifiers(deps.db, client.tenantId, named)
  const byIdentifier = new Map(registered.map((resource) => [resource.identifier, resource]))
  for (const alias of aliases) byIdentifier.set(alias, api)
  const resolved = identifiers.map((identifier) => {
    const resource = byIdentifier.get(identifier)
    if (resource === undefined) {
      throw new OAuthError('invalid_target', 'A requested resource is unknown', {
        cause: { identifier },
      })
    }
    return resource
  })
  // Both names of the management API are one resource, one audience.
  return [...new Set(resolved)]
}
