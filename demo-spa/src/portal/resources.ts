// The management API's resources, as the portal reads them (see /api/v1/openapi.json). The
// types are the worker's, inferred from the zod schemas that validate the API and generate its
// OpenAPI document: a type-only import, erased from the bundle.

import type {
  ResourceResource as ApiResource,
  AuditEventResource as AuditEvent,
  ClientResource as Client,
  ClientType,
  CreatedClientResource as CreatedClient,
  CreatedInitialAccessTokenResource as CreatedInitialAccessToken,
  CreatedSecretResource as CreatedSecret,
  CreatedUserResource as CreatedUser,
  InitialAccessTokenResource as InitialAccessToken,
  InitialAccessTokenCreate,
  PasswordResetLinkResource as PasswordResetLink,
  RoleResource as Role,
  SecretResource as Secret,
  ThirdPartyClientResource as ThirdPartyClient,
  ThirdPartyClientChange,
  ThirdPartyPolicyResource as ThirdPartyPolicy,
  UserResource as User,
} from '../../../worker/src/routes/api/resource-types'

export type {
  ApiResource,
  AuditEvent,
  Client,
  ClientType,
  CreatedClient,
  CreatedInitialAccessToken,
  CreatedSecret,
  CreatedUser,
  InitialAccessToken,
  InitialAccessTokenCreate,
  PasswordResetLink,
  Role,
  Secret,
  ThirdPartyClient,
  ThirdPartyClientChange,
  ThirdPartyPolicy,
  User,
}

export interface ClientTypeInfo {
  /** The name users know from the portal they come from (`Client Type` select). */
  label: string
  /** The API collection under /api/v1/tenants/{tenantId}/. */
  collection: string
  secrets: boolean
  /** Redirect and logout redirect URLs. */
  browser: boolean
  cors: boolean
  refresh: boolean
  summary: string
}

export const CLIENT_TYPES: Record<ClientType, ClientTypeInfo> = {
  'client-credentials': {
    label: 'Client-Credentials',
    collection: 'client-credential-clients',
    secrets: true,
    browser: false,
    cors: false,
    refresh: false,
    summary:
      'Server-to-server communication without a user: the application authenticates with its ' +
      'Client Id and a secret.',
  },
  'authorization-code': {
    label: 'Authorization Code',
    collection: 'authorization-code-clients',
    secrets: false,
    browser: true,
    cors: true,
    refresh: false,
    summary:
      'Web applications that sign users in with a browser and PKCE; no secret, no refresh token.',
  },
  hybrid: {
    label: 'Hybrid',
    collection: 'hybrid-clients',
    secrets: true,
    browser: true,
    cors: false,
    refresh: true,
    summary:
      'Native and server-side web applications: users sign in with a browser, a backend keeps ' +
      'the secret.',
  },
}

export const isClientType = (value: string | null | undefined): value is ClientType =>
  value !== null && value !== undefined && value in CLIENT_TYPES

/** The type in the query (`?type=`), Client-Credentials by default. */
export const typeOf = (query: URLSearchParams): ClientType => {
  const type = query.get('type')
  return isClientType(type) ? type : 'client-credentials'
}

/** The client's path in the API. */
export const clientPath = (type: ClientType, id?: string) =>
  `/${CLIENT_TYPES[type].collection}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`

/** Held by every user and client; cannot be removed (docs/architecture.md). */
export const ACCOUNT_MEMBER = 'account-member'

/** Role names by id, for display. */
export const roleNames = (roles: Role[], ids: string[]) =>
  ids.map((id) => roles.find((role) => role.id === id)?.name ?? id).join(', ')

/** An ISO date-time as a short local date and time. */
export const formatDate = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—'

/** Every item of a collection (at most 1000, the API's largest page), for lookups and search. */
export const ALL = '?skip=0&count=1000'
