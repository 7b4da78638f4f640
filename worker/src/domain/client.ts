/** The three kinds of clients (docs/architecture.md "Clients"). */
export type ClientType = 'client-credentials' | 'authorization-code' | 'hybrid'

/** Limits of the product (docs/architecture.md "Clients"). */
export const ACCESS_TOKEN_LIFETIME_MIN_SECONDS = 60
export const ACCESS_TOKEN_LIFETIME_MAX_SECONDS = 3600
export const ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS = 3600
export const MAX_SECRETS_PER_CLIENT = 10
export const MAX_URIS_PER_LIST = 10
export const MAX_CLIENTS_PER_TENANT = 50_000
/** A secret created without an expiration expires after a year (docs/architecture.md "Clients"). */
export const DEFAULT_SECRET_LIFETIME_SECONDS = 365 * 24 * 3600

export interface Client {
  id: string
  tenantId: string
  type: ClientType
  name: string
  enabled: boolean
  accessTokenLifetime: number
  allowRefreshToken: boolean
  /** Every token request must carry a DPoP proof: the client never gets an unbound token. */
  requireDpop: boolean
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  allowedCorsOrigins: string[]
  roleIds: string[]
  createdAt: number
  updatedAt: number
}

export interface ClientSecret {
  id: string
  clientId: string
  description: string
  /** Unix seconds, or null when the secret never expires. */
  expiresAt: number | null
  createdAt: number
}

/** A client with every optional setting at its default (enabled, an hour, no URLs). */
export function newClient(
  required: Pick<Client, 'id' | 'tenantId' | 'type' | 'name' | 'roleIds'> & Partial<Client>,
  now: number,
): Client {
  return {
    enabled: true,
    accessTokenLifetime: ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS,
    allowRefreshToken: false,
    requireDpop: false,
    redirectUris: [],
    postLogoutRedirectUris: [],
    allowedCorsOrigins: [],
    createdAt: now,
    updatedAt: now,
    ...required,
  }
}

/** Only client-credentials and hybrid clients are confidential and hold secrets. */
export function hasSecrets(type: ClientType): boolean {
  return type !== 'authorization-code'
}
