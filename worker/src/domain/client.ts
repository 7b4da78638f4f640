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

/**
 * What a third-party client declared about itself: in its client ID metadata document
 * (draft-ietf-oauth-client-id-metadata-document) or its registration request (RFC 7591 §2).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 RFC 7591 §2}
 */
export interface ThirdPartyMetadata {
  /** How it registered: its `client_id` is the URL of a metadata document, or it was registered. */
  registration: 'metadata-document' | 'dynamic'
  /** `none`: a public client (PKCE only); `private_key_jwt`: RFC 7523 with keys at `jwksUri`. */
  tokenEndpointAuthMethod: 'none' | 'private_key_jwt'
  jwksUri: string | null
  logoUri: string | null
  clientUri: string | null
}

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
  /**
   * Set for a third-party client: one that registered itself instead of being created by an
   * administrator. Such a client has the `authorization-code` type (it uses that grant with
   * PKCE), and asks the user's consent (issue 17).
   */
  thirdParty: ThirdPartyMetadata | null
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
    thirdParty: null,
    createdAt: now,
    updatedAt: now,
    ...required,
  }
}

/** Whether a client registered itself (metadata document or dynamic registration). */
export function isThirdParty(
  client: Client,
): client is Client & { thirdParty: ThirdPartyMetadata } {
  return client.thirdParty !== null
}

/** Only client-credentials and hybrid clients are confidential and hold secrets. */
export function hasSecrets(type: ClientType): boolean {
  return type !== 'authorization-code'
}
