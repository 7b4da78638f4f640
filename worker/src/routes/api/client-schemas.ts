import {
  ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS,
  ACCESS_TOKEN_LIFETIME_MAX_SECONDS,
  ACCESS_TOKEN_LIFETIME_MIN_SECONDS,
  type ClientType,
  hasSecrets,
  MAX_URIS_PER_LIST,
} from '../../domain/client'
import { corsOriginProblem, redirectUriProblem } from '../../domain/redirect-uri'
import { Expiration, list, Name, RoleIds, readBack, Timestamp } from './schemas'
import * as z from './zod-openapi'

// The client and client secret resources of the management API (see schemas.ts).

const uriList = (problem: (value: string) => string | undefined, description: string) =>
  z
    .array(
      z.string().superRefine((value, ctx) => {
        const message = problem(value)
        if (message !== undefined) ctx.addIssue({ code: 'custom', message })
      }),
    )
    .max(MAX_URIS_PER_LIST)
    .refine((values) => new Set(values).size === values.length, 'Duplicate values')
    .openapi({ description })

/** The settings only some kinds of client have, as request fields. */
const SETTING_FIELDS = {
  redirectUris: uriList(
    redirectUriProblem,
    'Allowed redirect URLs, matched byte for byte; https except on loopback hosts',
  ).min(1, 'At least one redirect URL is required'),
  postLogoutRedirectUris: uriList(
    redirectUriProblem,
    'Allowed redirect URLs after sign-out, matched byte for byte',
  ).default([]),
  allowedCorsOrigins: uriList(
    corsOriginProblem,
    'Origins allowed to call the token, userinfo and revocation endpoints from a browser',
  ).default([]),
  allowRefreshToken: z.boolean().default(false),
}

/** The same settings as a resource answers them. */
const SETTING_VALUES = {
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  allowedCorsOrigins: z.array(z.string()),
  allowRefreshToken: z.boolean(),
}

/** A setting only some kinds of client have. */
export type ClientSetting = keyof typeof SETTING_VALUES

/** Which of those settings each kind has (docs/architecture.md): the others it has not at all. */
export const KIND_SETTINGS = {
  'client-credentials': [],
  'authorization-code': ['redirectUris', 'postLogoutRedirectUris', 'allowedCorsOrigins'],
  hybrid: ['redirectUris', 'postLogoutRedirectUris', 'allowRefreshToken'],
} as const satisfies Record<ClientType, readonly ClientSetting[]>

/**
 * The fields of `fields` that a kind has, in the table's order. Typed as optional: the types
 * describe a client of any kind (what the SPA and the routes handle), the schemas one kind.
 */
function settingsOf<F extends Record<ClientSetting, z.ZodType>>(fields: F, type: ClientType) {
  const picked = KIND_SETTINGS[type].map((setting) => [setting, fields[setting]] as const)
  return Object.fromEntries(picked) as { [K in ClientSetting]: z.ZodOptional<F[K]> }
}

const COMPONENT = {
  'client-credentials': 'ClientCredentialClient',
  'authorization-code': 'AuthorizationCodeClient',
  hybrid: 'HybridClient',
} as const satisfies Record<ClientType, string>

const SecretDescription = z.string().trim().max(200).default('')

export const Secret = z
  .object({
    id: z.string(),
    description: z.string(),
    expiration: Timestamp.nullable().openapi({ description: 'null when the secret never expires' }),
    createdAt: Timestamp,
  })
  .openapi('ClientSecret')

export const CreatedSecret = z
  .object({
    id: z.string(),
    description: z.string(),
    expiration: Timestamp.nullable(),
    value: z.string().openapi({ description: 'The secret itself, shown only in this response' }),
  })
  .openapi('CreatedClientSecret')

export const AddSecret = z
  .strictObject({ description: SecretDescription, expiration: Expiration })
  .openapi('AddClientSecret')

export const SecretList = list(Secret, 'ClientSecretList')

/** What the create of a confidential client answers besides the client: its first secret. */
export const FirstSecret = z.object({ secret: CreatedSecret })

const FIRST_SECRET_FIELDS = { secretDescription: SecretDescription, secretExpiration: Expiration }

/** The first secret's fields of a create, for the kinds with secrets; optional in type too. */
const firstSecretOf = (type: ClientType) =>
  (hasSecrets(type) ? FIRST_SECRET_FIELDS : {}) as {
    [K in keyof typeof FIRST_SECRET_FIELDS]: z.ZodOptional<(typeof FIRST_SECRET_FIELDS)[K]>
  }

/** Request and response schemas of one kind of client. */
export function clientSchemas(type: ClientType) {
  const fields = {
    name: Name,
    enabled: z.boolean().default(true),
    accessTokenLifetime: z
      .number()
      .int()
      .min(ACCESS_TOKEN_LIFETIME_MIN_SECONDS)
      .max(ACCESS_TOKEN_LIFETIME_MAX_SECONDS)
      .default(ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS)
      .openapi({ description: 'Lifetime of access tokens in seconds, 60 to 3600' }),
    roleIds: RoleIds,
    requireDpop: z
      .boolean()
      .default(false)
      .openapi({
        description:
          'Every token request must carry a DPoP proof (RFC 9449), so the client never gets a ' +
          'token that is not bound to its key',
      }),
    ...settingsOf(SETTING_FIELDS, type),
  }
  const create = z
    .strictObject({ ...fields, ...firstSecretOf(type) })
    .openapi(`Create${COMPONENT[type]}`)
  const replace = z.strictObject({ ...fields, ...readBack }).openapi(`Replace${COMPONENT[type]}`)
  const resourceFields = {
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    accessTokenLifetime: z.number().int(),
    roleIds: z.array(z.string()),
    requireDpop: z.boolean(),
    ...settingsOf(SETTING_VALUES, type),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }
  const resource = z.object(resourceFields).openapi(COMPONENT[type])
  const created = hasSecrets(type)
    ? z.object({ ...resourceFields, ...FirstSecret.shape }).openapi(`Created${COMPONENT[type]}`)
    : resource
  return { create, replace, resource, created, list: list(resource, `${COMPONENT[type]}List`) }
}
