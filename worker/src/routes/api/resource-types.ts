import type { AuditEvent } from './audit-schemas'
import type { CreatedSecret, clientSchemas, FirstSecret, Secret } from './client-schemas'
import type {
  CreatedInitialAccessToken,
  CreateInitialAccessToken,
  InitialAccessTokenResource as InitialAccessTokenSchema,
} from './initial-access-token-schemas'
import type { CreateResource, Resource } from './resource-schemas'
import type { Role, RoleInput } from './role-schemas'
import type { list, Problem } from './schemas'
import type {
  ThirdPartyClient,
  ThirdPartyClientPatch,
  ThirdPartyPolicy,
} from './third-party-schemas'
import type {
  CreatedUser,
  CreateUser,
  PasswordResetLink,
  ReplaceUser,
  User,
  UserPasskey,
} from './user-schemas'
import type * as z from './zod-openapi'

// The management API's resources as TypeScript types, inferred from the zod schemas that
// validate the requests and generate the OpenAPI document: the one place the SPA and the tests
// take them from. Type-only: importing this module brings no worker code into a bundle.

export type { ClientType } from '../../domain/client'

type ClientSchemas = ReturnType<typeof clientSchemas>

/** A client of any kind as the API answers it; a kind has only its own settings. */
export type ClientResource = z.infer<ClientSchemas['resource']>
/** A confidential client as its create answers it: with its first secret, shown once. */
export type CreatedConfidentialClientResource = ClientResource & z.infer<typeof FirstSecret>
/** A client of any kind as its create answers it: with a secret for the kinds that have some. */
export type CreatedClientResource = ClientResource & Partial<z.infer<typeof FirstSecret>>
/** A create body of any kind, after validation (defaults filled in). */
export type ClientCreate = z.output<ClientSchemas['create']>
/** A replace (PUT) body of any kind, after validation. */
export type ClientReplace = z.output<ClientSchemas['replace']>

/** A client secret as listed: never its value. */
export type SecretResource = z.infer<typeof Secret>
/** A new secret, the one time its value is shown. */
export type CreatedSecretResource = z.infer<typeof CreatedSecret>

export type RoleResource = z.infer<typeof Role>
/** A create or replace body of a role, after validation. */
export type RoleChange = z.output<typeof RoleInput>

export type UserResource = z.infer<typeof User>
export type CreatedUserResource = z.infer<typeof CreatedUser>
/** A create body of a user, after validation (defaults filled in). */
export type UserCreate = z.output<typeof CreateUser>
/** A replace (PUT) body of a user, after validation. */
export type UserReplace = z.output<typeof ReplaceUser>
export type PasswordResetLinkResource = z.infer<typeof PasswordResetLink>
/** A user's passkey as administrators see it (never its public key). */
export type UserPasskeyResource = z.infer<typeof UserPasskey>

/** An API resource (RFC 8707): an identifier clients name with `resource`, its scopes. */
export type ResourceResource = z.infer<typeof Resource>
/** A create or replace body of an API resource, after validation (defaults filled in). */
export type ResourceChange = z.output<typeof CreateResource>

export type AuditEventResource = z.infer<typeof AuditEvent>

/** The tenant's policy for clients that register themselves (metadata documents, RFC 7591). */
export type ThirdPartyPolicyResource = z.infer<typeof ThirdPartyPolicy>
/** A client that registered itself: a metadata document URL or a dynamically registered id. */
export type ThirdPartyClientResource = z.infer<typeof ThirdPartyClient>
/** The PATCH body of a third-party client. */
export type ThirdPartyClientChange = z.infer<typeof ThirdPartyClientPatch>

/** An initial access token for dynamic registration as listed: never its value. */
export type InitialAccessTokenResource = z.infer<typeof InitialAccessTokenSchema>
/** A new initial access token, the one time its value is shown. */
export type CreatedInitialAccessTokenResource = z.infer<typeof CreatedInitialAccessToken>
/** A create body of an initial access token, as sent (defaults not filled in). */
export type InitialAccessTokenCreate = z.input<typeof CreateInitialAccessToken>

/** One page of a collection and its total. */
export type Page<T> = z.infer<ReturnType<typeof list<z.ZodType<T>>>>

/**
 * An RFC 9457 problem as the API answers it.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9457 RFC 9457}
 */
export type ProblemDetails = z.infer<typeof Problem>
/**
 * One invalid field of a 400 problem (a JSON Pointer into the request body, RFC 6901).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6901 RFC 6901}
 */
export type FieldError = NonNullable<ProblemDetails['errors']>[number]
