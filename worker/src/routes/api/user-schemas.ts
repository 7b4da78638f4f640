import { displayName } from '../../domain/display-name'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../domain/password-policy'
import { list, RoleIds, readBack, Timestamp } from './schemas'
import * as z from './zod-openapi'

// The user resource of the management API (see schemas.ts).

/** RFC 5321 §4.5.3.1.3 limits a path to 256 octets, so an address to 254 characters. */
const Email = z
  .email('Must be an email address')
  .max(254)
  .openapi({ description: 'Unique in the tenant, whatever the case', example: 'ada@example.com' })
const UserName = displayName().default('').openapi({ example: 'Ada Lovelace' })
const Enabled = z
  .boolean()
  .default(true)
  .openapi({ description: 'A disabled user cannot sign in; disabling ends their sessions' })
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
    id: readBack.id,
    hasPassword: z.boolean().optional(),
    passkeys: z.number().optional(),
    createdAt: readBack.createdAt,
    updatedAt: readBack.updatedAt,
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
  passkeys: z
    .number()
    .int()
    .openapi({ description: 'How many passkeys the user holds (list them at .../passkeys)' }),
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

export const UserList = list(User, 'UserList')

/** A passkey as administrators see it: never its public key. */
export const UserPasskey = z
  .object({
    id: z.string().openapi({ description: 'The credential id (base64url)' }),
    name: z.string(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    backupEligible: z
      .boolean()
      .openapi({ description: 'The authenticator may sync or back it up (a synced passkey)' }),
    backedUp: z.boolean(),
    transports: z.array(z.string()),
  })
  .openapi('UserPasskey')

export const UserPasskeyList = list(UserPasskey, 'UserPasskeyList')

export const SetPassword = z.strictObject({ password: Password }).openapi('SetUserPassword')

export const PasswordResetLink = z
  .object({
    resetUrl: z.string().openapi({ description: 'One-time link, shown only in this response' }),
    expiration: Timestamp,
  })
  .openapi('PasswordResetLink')
