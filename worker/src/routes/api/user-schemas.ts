import { z } from '@hono/zod-openapi'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domain/password-policy'
import { TenantParams } from './schemas'

// The users part of the management API's schemas (see schemas.ts): they validate requests and
// generate the OpenAPI document. Id, name, role id and time formats are those of schemas.ts.

const Id = z.string().min(1).max(100)
const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-11-26T12:00:00.000Z' })

export const UserParams = TenantParams.extend({
  userId: Id.openapi({ param: { name: 'userId', in: 'path' } }),
})

/** RFC 5321 §4.5.3.1.3 limits a path to 256 octets, so an address to 254 characters. */
const Email = z
  .email('Must be an email address')
  .max(254)
  .openapi({ description: 'Unique in the tenant, whatever the case', example: 'ada@example.com' })
const UserName = z.string().trim().max(200).default('').openapi({ example: 'Ada Lovelace' })
const Enabled = z
  .boolean()
  .default(true)
  .openapi({ description: 'A disabled user cannot sign in; disabling ends their sessions' })
const RoleIds = z
  .array(Id)
  .max(50)
  .default([])
  .openapi({ description: 'Role ids; account-member is always added' })

/** Checked against the password policy by the handler (it needs the email and the list). */
const Password = z.string().openapi({
  format: 'password',
  description:
    `At least ${PASSWORD_MIN_LENGTH} and at most ${PASSWORD_MAX_LENGTH} characters, not ` +
    'containing the part of the email before the @, not a common password',
})

export const CreateUser = z
  .strictObject({
    email: Email,
    name: UserName,
    enabled: Enabled,
    roleIds: RoleIds,
    password: Password.optional().openapi({
      description: 'Omit it to get a one-time invitation link instead (valid 7 days)',
    }),
  })
  .openapi('CreateUser')

/** A PUT body may carry back what a GET answered: `id` must equal the path's; read-only fields are ignored. */
export const ReplaceUser = z
  .strictObject({
    email: Email,
    name: UserName,
    enabled: Enabled,
    roleIds: RoleIds,
    id: Id.optional(),
    hasPassword: z.boolean().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .openapi('ReplaceUser')

const userShape = {
  id: z.string(),
  email: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  roleIds: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  hasPassword: z.boolean().openapi({ description: 'Whether the user has set a password yet' }),
}

export const User = z.object(userShape).openapi('User')

export const CreatedUser = z
  .object({
    ...userShape,
    invitationUrl: z.string().optional().openapi({
      description: 'One-time link to set the first password, shown only in this response',
    }),
    invitationExpiration: Timestamp.optional(),
  })
  .openapi('CreatedUser')

export const UserList = z
  .object({ items: z.array(User), total: z.number().int() })
  .openapi('UserList')

export const SetPassword = z.strictObject({ password: Password }).openapi('SetUserPassword')

export const PasswordResetLink = z
  .object({
    resetUrl: z.string().openapi({ description: 'One-time link, shown only in this response' }),
    expiration: Timestamp,
  })
  .openapi('PasswordResetLink')
