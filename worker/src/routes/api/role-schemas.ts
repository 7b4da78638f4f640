import { Id, list, Name } from './schemas'
import * as z from './zod-openapi'

// The role resource of the management API (see schemas.ts).

export const Role = z
  .object({ id: z.string(), name: z.string(), description: z.string(), builtIn: z.boolean() })
  .openapi('Role')

/** A PUT body may carry back what a GET answered: `id` must then equal the path's. */
export const RoleInput = z
  .strictObject({
    name: Name,
    description: z.string().trim().max(500).default(''),
    id: Id.optional(),
    builtIn: z.boolean().optional(),
  })
  .openapi('RoleInput')

export const RoleList = list(Role, 'RoleList')
