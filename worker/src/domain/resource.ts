import { OAuthError } from '../errors'
import { ACCESS_TOKEN_LIFETIME_MAX_SECONDS } from './client'
import { SCOPES } from './scope'

/**
 * An API resource of a tenant (RFC 8707): what a client names with `resource`, and what the
 * access token it gets is then for: `aud` its identifier, scope limited to the scopes it
 * defines, its lifetime, bound to a DPoP key when it requires one.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2 RFC 8707 §2}
 */
export interface ApiResource {
  id: string
  tenantId: string
  /** The resource indicator: an absolute URI without fragment, compared byte for byte. */
  identifier: string
  name: string
  /** The scope values this resource defines. */
  scopes: string[]
  accessTokenLifetime: number
  requireDpop: boolean
  createdAt: number
  updatedAt: number
}

/** The id of the built-in resource, the management API (`{issuer}/api`). */
export const MANAGEMENT_API_RESOURCE_ID = 'management-api'

/** At most this many `resource` parameters in one request; each at most this long. */
export const MAX_RESOURCES_PER_REQUEST = 10
export const MAX_RESOURCE_LENGTH = 2048
/** At most this many scopes per resource, each a scope-token of at most this length. */
export const MAX_SCOPES_PER_RESOURCE = 50
export const MAX_SCOPE_VALUE_LENGTH = 100

/**
 * The built-in resource every tenant has: this server's management API, scope `api`, for the
 * client's own token lifetime (the lifetime of tokens without `resource`).
 */
export function managementApiResource(
  issuer: string,
  tenantId: string,
  clientLifetime: number,
): ApiResource {
  return {
    id: MANAGEMENT_API_RESOURCE_ID,
    tenantId,
    identifier: `${issuer}/api`,
    name: 'Management API',
    scopes: ['api'],
    accessTokenLifetime: clientLifetime,
    requireDpop: false,
    createdAt: 0,
    updatedAt: 0,
  }
}

const invalidTarget = (description: string) => new OAuthError('invalid_target', description)

/**
 * Checks the `resource` parameters of a request (RFC 8707 §2): each an absolute URI without a
 * fragment, at most {@link MAX_RESOURCES_PER_REQUEST} of them; anything else is
 * `invalid_target`. Duplicates are dropped; the order is kept.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2 RFC 8707 §2}
 */
export function checkResourceIndicators(values: readonly string[]): string[] {
  if (values.length > MAX_RESOURCES_PER_REQUEST) throw invalidTarget('Too many resources')
  for (const value of values) {
    if (resourceIdentifierProblem(value) !== undefined) {
      throw invalidTarget('A resource must be an absolute URI without a fragment')
    }
  }
  return [...new Set(values)]
}

/**
 * Why a value cannot be a resource indicator, or undefined when it can: an absolute URI
 * (RFC 3986 §4.3), printable ASCII, no fragment (RFC 8707 §2).
 */
export function resourceIdentifierProblem(value: string): string | undefined {
  if (value.length > MAX_RESOURCE_LENGTH) return `must be at most ${MAX_RESOURCE_LENGTH} characters`
  if (!/^[\x21-\x7E]+$/.test(value)) return 'must be printable ASCII without spaces'
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return 'must be an absolute URI'
  try {
    new URL(value)
  } catch {
    return 'must be an absolute URI'
  }
  if (value.includes('#')) return 'must not contain a fragment (RFC 8707 §2)'
  return undefined
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Why a value cannot be registered as a resource's identifier: a resource indicator
 * ({@link resourceIdentifierProblem}) that is an https URL without credentials; http only on
 * loopback hosts outside production (local development).
 */
export function registrableIdentifierProblem(
  value: string,
  production: boolean,
): string | undefined {
  const problem = resourceIdentifierProblem(value)
  if (problem !== undefined) return problem
  const url = new URL(value)
  if (url.username !== '' || url.password !== '') return 'must not contain credentials'
  if (url.protocol === 'https:') return undefined
  if (url.protocol === 'http:' && !production && LOOPBACK_HOSTS.has(url.hostname)) {
    return undefined
  }
  return production
    ? 'must use https'
    : 'must use https (http is allowed only on localhost, 127.0.0.1 and [::1])'
}

/** Scope values of this server itself: a resource may not define them. */
export const RESERVED_SCOPES: ReadonlySet<string> = new Set(SCOPES)

/** What the access token for a set of resources is: its audience, scope, lifetime, binding. */
export interface ResourceTarget {
  audience: string | string[]
  /** The granted scope values the resources define. */
  scope: string[]
  lifetimeSeconds: number
  requireDpop: boolean
}

/**
 * The access token for `resources` (RFC 8707 §2): `aud` their identifiers (one string for one
 * resource), scope the granted values that one of them defines, the shortest of their lifetimes
 * (never above {@link ACCESS_TOKEN_LIFETIME_MAX_SECONDS}), DPoP when one of them requires it.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2.2 RFC 8707 §2.2}
 */
export function resourceTarget(
  resources: readonly ApiResource[],
  granted: readonly string[],
): ResourceTarget {
  const defined = new Set(resources.flatMap((resource) => resource.scopes))
  const identifiers = resources.map((resource) => resource.identifier)
  return {
    audience: identifiers.length === 1 ? (identifiers[0] as string) : identifiers,
    scope: granted.filter((value) => defined.has(value)),
    lifetimeSeconds: Math.min(
      ACCESS_TOKEN_LIFETIME_MAX_SECONDS,
      ...resources.map((resource) => resource.accessTokenLifetime),
    ),
    requireDpop: resources.some((resource) => resource.requireDpop),
  }
}

/** The scope values the resources define, beside this server's own. */
export function scopesDefinedBy(resources: readonly ApiResource[]): Set<string> {
  return new Set(resources.flatMap((resource) => resource.scopes))
}
