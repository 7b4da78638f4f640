// The management API's resources, as the portal reads them (see /api/v1/openapi.json).

export type ClientKind = 'client-credentials' | 'authorization-code' | 'hybrid'

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

export interface Client {
  id: string
  name: string
  enabled: boolean
  accessTokenLifetime: number
  roleIds: string[]
  redirectUris?: string[]
  postLogoutRedirectUris?: string[]
  allowedCorsOrigins?: string[]
  allowRefreshToken?: boolean
  createdAt: string
  updatedAt: string
}

export interface CreatedSecret {
  id: string
  description: string
  expiration: string | null
  value: string
}

export interface Secret {
  id: string
  description: string
  expiration: string | null
  createdAt: string
}

export interface Role {
  id: string
  name: string
  description: string
  builtIn: boolean
}

export interface User {
  id: string
  email: string
  name: string
  enabled: boolean
  roleIds: string[]
  hasPassword: boolean
  createdAt: string
  updatedAt: string
  invitationUrl?: string
  invitationExpiration?: string
}

export interface AuditEvent {
  id: number
  occurredAt: string
  actorType: string
  actorId: string | null
  action: string
  targetType?: string
  targetId?: string
  details: Record<string, unknown>
}

export const ACCOUNT_MEMBER = 'account-member'

/** Role names by id, for display. */
export const roleNames = (roles: Role[], ids: string[]) =>
  ids.map((id) => roles.find((role) => role.id === id)?.name ?? id).join(', ')

/** An ISO date-time as a short local date and time. */
export const formatDate = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—'
