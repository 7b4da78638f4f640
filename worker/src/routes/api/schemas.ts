import { requiredName } from '../../domain/display-name'
import * as z from './zod-openapi'

// The building blocks of the management API's schemas, one file per resource beside this one
// (client-, role-, user-, resource- and audit-schemas.ts). The schemas validate requests and generate the
// OpenAPI document (/api/v1/openapi.json), and resource-types.ts infers the TypeScript types
// of the SPA and the tests from them, so no resource shape is written twice.

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

export const Id = z.string().min(1).max(100)

/** A path parameter named `name`. */
const pathId = (name: string) => Id.openapi({ param: { name, in: 'path' } })

export const TenantParams = z.object({ tenantId: pathId('tenantId') })
export const ClientParams = TenantParams.extend({ clientId: pathId('clientId') })
export const SecretParams = ClientParams.extend({ secretId: pathId('secretId') })
export const RoleParams = TenantParams.extend({ roleId: pathId('roleId') })
export const UserParams = TenantParams.extend({ userId: pathId('userId') })
export const ResourceParams = TenantParams.extend({ resourceId: pathId('resourceId') })

export const PageQuery = z.object({
  skip: z.coerce.number().int().min(0).default(0).openapi({ example: 0 }),
  count: z.coerce.number().int().min(1).max(1000).default(100).openapi({ example: 100 }),
})

/** One page of a collection and how many items it has in all. */
export const list = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), total: z.number().int() }).openapi(name)

export const Timestamp = z
  .string()
  .openapi({ format: 'date-time', example: '2026-11-26T12:00:00.000Z' })

/** The name of a client or role: required, no control characters (checklist N09). */
export const Name = requiredName()

export const RoleIds = z
  .array(Id)
  .max(50)
  .default([])
  .openapi({ description: 'Role ids; account-member is always added' })

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

/**
 * What a PUT body may carry back from a GET besides the settings: `id` must then equal the
 * path's, the read-only fields are ignored.
 */
export const readBack = {
  id: Id.optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
}
