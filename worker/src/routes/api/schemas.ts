import { z } from '@hono/zod-openapi'
import {
  ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS,
  ACCESS_TOKEN_LIFETIME_MAX_SECONDS,
  ACCESS_TOKEN_LIFETIME_MIN_SECONDS,
  type ClientType,
  MAX_URIS_PER_LIST,
} from '../../domain/client'
import { corsOriginProblem, redirectUriProblem } from '../../domain/redirect-uri'

// The management API's schemas: they validate requests and generate the OpenAPI document
// (/api/v1/openapi.json), so the document cannot drift from what the API accepts.

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'urn:edge-identity:problem:validation' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ pointer: z.string().openapi({ example: '#/name' }), detail: z.string() }))
      .optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' })

const Id = z.string().min(1).max(100)

export const TenantParams = z.object({
  tenantId: Id.openapi({ param: { name: 'tenantId', in: 'path' } }),
})
export const ClientParams = TenantParams.extend({
  clientId: Id.openapi({ param: { name: 'clientId', in: 'path' } }),
})
export const SecretParams = ClientParams.extend({
  secretId: Id.openapi({ param: { name: 'secretId', in: 'path' } }),
})
export const RoleParams = TenantParams.extend({
  roleId: Id.openapi({ param: { name: 'roleId', in: 'path' } }),
})

export const PageQuery = z.object({
  skip: z.coerce.number().int().min(0).default(0).openapi({ example: 0 }),
  count: z.coerce.number().int().min(1).max(1000).default(100).openapi({ example: 100 }),
})

export const list = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), total: z.number().int() }).openapi(name)

const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-26T12:00:00.000Z' })

const Name = z.string().trim().min(1, 'Required').max(200)
const Enabled = z.boolean().default(true)
const AccessTokenLifetime = z
  .number()
  .int()
  .min(ACCESS_TOKEN_LIFETIME_MIN_SECONDS)
  .max(ACCESS_TOKEN_LIFETIME_MAX_SECONDS)
  .default(ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS)
  .openapi({ description: 'Lifetime of access tokens in seconds, 60 to 3600' })
const RoleIds = z
  .array(Id)
  .max(50)
  .default([])
  .openapi({ description: 'Role ids; account-member is always added' })

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

const RedirectUris = uriList(
  redirectUriProblem,
  'Allowed redirect URLs, matched byte for byte; https except on loopback hosts',
).min(1, 'At least one redirect URL is required')
const PostLogoutRedirectUris = uriList(
  redirectUriProblem,
  'Allowed redirect URLs after sign-out, matched byte for byte',
).default([])
const AllowedCorsOrigins = uriList(
  corsOriginProblem,
  'Origins allowed to call the token, userinfo and revocation endpoints from a browser',
).default([])

/** `expiration`: ISO 8601 date-time in the future, null for never; omitted means one year. */
export const Expiration = z
  .union([
    z.iso
      .datetime({ offset: true })
      .refine((value) => Date.parse(value) > Date.now(), 'Must be in the future'),
    z.null(),
  ])
  .optional()
  .openapi({ description: 'ISO 8601 date-time; null for never; omitted for one year from now' })

const SecretDescription = z.string().trim().max(200).default('')

/** The settings each kind of client has, as request fields. */
const SETTINGS = {
  'client-credentials': {},
  'authorization-code': {
    redirectUris: RedirectUris,
    postLogoutRedirectUris: PostLogoutRedirectUris,
    allowedCorsOrigins: AllowedCorsOrigins,
  },
  hybrid: {
    redirectUris: RedirectUris,
    postLogoutRedirectUris: PostLogoutRedirectUris,
    allowRefreshToken: z.boolean().default(false),
  },
} as const

const COMPONENT = {
  'client-credentials': 'ClientCredentialClient',
  'authorization-code': 'AuthorizationCodeClient',
  hybrid: 'HybridClient',
} as const satisfies Record<ClientType, string>

/** A validated create or replace body of any kind of client (each kind has a subset). */
export interface ClientInput {
  id?: string
  name: string
  enabled: boolean
  accessTokenLifetime: number
  roleIds: string[]
  redirectUris?: string[]
  postLogoutRedirectUris?: string[]
  allowedCorsOrigins?: string[]
  allowRefreshToken?: boolean
  secretDescription?: string
  secretExpiration?: string | null
}

/** Request and response schemas of one kind of client. */
export function clientSchemas(type: ClientType) {
  const settings = SETTINGS[type]
  const base = {
    name: Name,
    enabled: Enabled,
    accessTokenLifetime: AccessTokenLifetime,
    roleIds: RoleIds,
  }
  const withSecret = type !== 'authorization-code'
  const create = z
    .strictObject({
      ...base,
      ...settings,
      ...(withSecret ? { secretDescription: SecretDescription, secretExpiration: Expiration } : {}),
    })
    .openapi(`Create${COMPONENT[type]}`)
  // A PUT body may carry back what a GET answered: `id` must then equal the path's, and the
  // read-only fields are ignored.
  const replace = z
    .strictObject({
      ...base,
      ...settings,
      id: Id.optional(),
      createdAt: z.string().optional(),
      updatedAt: z.string().optional(),
    })
    .openapi(`Replace${COMPONENT[type]}`)
  const resourceShape = {
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    accessTokenLifetime: z.number().int(),
    roleIds: z.array(z.string()),
    ...(type === 'client-credentials' ? {} : { redirectUris: z.array(z.string()) }),
    ...(type === 'client-credentials' ? {} : { postLogoutRedirectUris: z.array(z.string()) }),
    ...(type === 'authorization-code' ? { allowedCorsOrigins: z.array(z.string()) } : {}),
    ...(type === 'hybrid' ? { allowRefreshToken: z.boolean() } : {}),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }
  const resource = z.object(resourceShape).openapi(COMPONENT[type])
  const created = withSecret
    ? z.object({ ...resourceShape, secret: CreatedSecret }).openapi(`Created${COMPONENT[type]}`)
    : resource
  return { create, replace, resource, created, list: list(resource, `${COMPONENT[type]}List`) }
}

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

export const Role = z
  .object({ id: z.string(), name: z.string(), description: z.string(), builtIn: z.boolean() })
  .openapi('Role')

export const RoleInput = z
  .strictObject({
    name: Name,
    description: z.string().trim().max(500).default(''),
    id: Id.optional(),
    builtIn: z.boolean().optional(),
  })
  .openapi('RoleInput')

export const AuditEvent = z
  .object({
    id: z.number().int(),
    occurredAt: Timestamp,
    actorType: z.enum(['user', 'client', 'operator', 'system']),
    actorId: z.string().nullable(),
    action: z.string().openapi({ example: 'client.created' }),
    targetType: z.string().optional(),
    targetId: z.string().optional(),
    requestId: z.string().optional(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent')
