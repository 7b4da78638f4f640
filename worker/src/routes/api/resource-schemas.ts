import {
  ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS,
  ACCESS_TOKEN_LIFETIME_MAX_SECONDS,
  ACCESS_TOKEN_LIFETIME_MIN_SECONDS,
} from '../../domain/client'
import {
  MAX_SCOPE_VALUE_LENGTH,
  MAX_SCOPES_PER_RESOURCE,
  RESERVED_SCOPES,
  resourceIdentifierProblem,
} from '../../domain/resource'
import { list, Name, readBack, Timestamp } from './schemas'
import * as z from './zod-openapi'

// The API resource of the management API (RFC 8707 resource indicators; see schemas.ts). The
// identifier's scheme rule (https, http on loopback outside production) depends on the
// deployment and is checked by the route (domain/resource.ts registrableIdentifierProblem).

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

const ScopeValue = z
  .string()
  .max(MAX_SCOPE_VALUE_LENGTH)
  .regex(SCOPE_TOKEN, 'Must be a scope-token (RFC 6749 §3.3): printable ASCII, no space, " or \\')
  .refine((value) => !RESERVED_SCOPES.has(value), 'Is a scope of this server itself')

const FIELDS = {
  identifier: z
    .string()
    .superRefine((value, ctx) => {
      const message = resourceIdentifierProblem(value)
      if (message !== undefined) ctx.addIssue({ code: 'custom', message })
    })
    .openapi({
      description:
        'The resource indicator (RFC 8707): an absolute https URL without fragment, which ' +
        'clients send as `resource` and which becomes the access token `aud`',
      example: 'http://localhost:8788/mcp',
    }),
  name: Name,
  scopes: z
    .array(ScopeValue)
    .max(MAX_SCOPES_PER_RESOURCE)
    .default([])
    .refine((values) => new Set(values).size === values.length, 'Duplicate values')
    .openapi({ description: 'The scope values this resource defines', example: ['mcp:tools'] }),
  accessTokenLifetime: z
    .number()
    .int()
    .min(ACCESS_TOKEN_LIFETIME_MIN_SECONDS)
    .max(ACCESS_TOKEN_LIFETIME_MAX_SECONDS)
    .default(ACCESS_TOKEN_LIFETIME_DEFAULT_SECONDS)
    .openapi({ description: 'Lifetime of access tokens for this resource in seconds, 60 to 3600' }),
  requireDpop: z
    .boolean()
    .default(false)
    .openapi({ description: 'Tokens for this resource are always DPoP-bound (RFC 9449)' }),
}

export const Resource = z
  .object({
    id: z.string(),
    identifier: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    accessTokenLifetime: z.number().int(),
    requireDpop: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Resource')

export const CreateResource = z.strictObject(FIELDS).openapi('CreateResource')

export const ReplaceResource = z.strictObject({ ...FIELDS, ...readBack }).openapi('ReplaceResource')

export const ResourceList = list(Resource, 'ResourceList')
