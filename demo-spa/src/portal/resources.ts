// The management API's resources, as the portal reads them (see /api/v1/openapi.json). The
// types are the worker's, inferred from the schemas that validate the API and generate its
// OpenAPI document: a type-only import, erased from the bundle, so no worker code ships here.

import type {
  AuditEventResource as AuditEvent,
  ClientResource as Client,
  ClientType,
  CreatedClientResource as CreatedClient,
  CreatedSecretResource as CreatedSecret,
  CreatedUserResource as CreatedUser,
  RoleResource as Role,
  SecretResource as Secret,
  UserResource as User,
} from '../../../worker/src/routes/api/resource-types'

export type { AuditEvent, Client, CreatedClient, CreatedSecret, CreatedUser, Role, Secret, User }

export type ClientKind = ClientType

export interface ClientKindInfo {
  label: string
  /** The API collection under /api/v1/tenants/{tenantId}/. */
  collection: string
  secrets: boolean
  browser: boolean
  cors: boolean
  refresh: boolean
  summary: string
}

export const CLIENT_KINDS: Record<ClientKind, ClientKindInfo> = {
  'client-credentials': {
    label: 'Client-credentials',
    collection: 'client-credential-clients',
    secrets: true,
    browser: false,
    cors: false,
    refresh: false,
    summary: 'Server-to-server: a service or device authenticates with its id and a secret.',
  },
  'authorization-code': {
    label: 'Authorization code',
    collection: 'authorization-code-clients',
    secrets: false,
    browser: true,
    cors: true,
    refresh: false,
    summary: 'Browser apps that sign users in with PKCE; no secret, no refresh token.',
  },
  hybrid: {
    label: 'Hybrid',
    collection: 'hybrid-clients',
    secrets: true,
    browser: true,
    cors: false,
    refresh: true,
    summary: 'Server-side web apps: users sign in in a browser, a backend keeps the secret.',
  },
}

export const isClientKind = (value: string | null | undefined): value is ClientKind =>
  value !== null && value !== undefined && value in CLIENT_KINDS

export const ACCOUNT_MEMBER = 'account-member'

/** Role names by id, for display. */
export const roleNames = (roles: Role[], ids: string[]) =>
  ids.map((id) => roles.find((role) => role.id === id)?.name ?? id).join(', ')

/** An ISO date-time as a short local date and time. */
export const formatDate = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—'
