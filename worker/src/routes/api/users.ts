import { createRoute, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { sha256 } from '../../crypto/hash'
import { hashPassword } from '../../crypto/password'
import { randomId, randomToken } from '../../crypto/random'
import { withAccountMember } from '../../domain/built-in-roles'
import type { User as UserModel } from '../../domain/user'
import { problems } from '../../errors'
import { newPasswordProblem } from '../../steps/check-new-password'
import {
  INVITATION_LIFETIME_SECONDS,
  insertPasswordResetLink,
  RESET_LINK_LIFETIME_SECONDS,
} from '../../storage/user-invitations'
import {
  deleteUser,
  findUser,
  insertUser,
  listUsers,
  replaceUser,
  setUserPassword,
  type UserRecord,
} from '../../storage/users'
import { type Administrator, administrator, applyChange, checkBodyId, found } from './admin-change'
import { isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import type { CreatedUserResource, UserReplace, UserResource } from './resource-types'
import { PageQuery, TenantParams, UserParams } from './schemas'
import {
  CreatedUser,
  CreateUser,
  PasswordResetLink,
  ReplaceUser,
  SetPassword,
  User,
  UserList,
} from './user-schemas'
import type * as z from './zod-openapi'

const users = '/tenants/{tenantId}/users'

/** A route of this collection, under the tag `users`, for bearer tokens. */
const route = <R extends Omit<RouteConfig, 'tags' | 'security'>>(config: R) =>
  createRoute({ ...config, tags: ['users'], security: [{ bearer: [] }] })

const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
})

const duplicateEmail = (email: string) => () =>
  problems.conflict(`A user with the email ${JSON.stringify(email)} exists already`)
const notFound = (userId: string) => () => problems.notFound(`No user ${userId}`)

const toUserResource = (user: UserRecord): UserResource => ({
  id: user.id,
  email: user.email,
  name: user.name,
  enabled: user.enabled,
  roleIds: [...user.roleIds].sort(),
  createdAt: isoTime(user.createdAt),
  updatedAt: isoTime(user.updatedAt),
  hasPassword: user.hasPassword,
  passkeys: user.passkeyCount,
})

/** A user from a validated create or replace body. */
function toUser(
  body: Pick<UserReplace, 'email' | 'name' | 'enabled' | 'roleIds'>,
  fixed: Pick<UserModel, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>,
): UserModel {
  const { email, name, enabled } = body
  return { ...fixed, email, name, enabled, roleIds: withAccountMember(body.roleIds) }
}

/** `db` is the primary before a write; a plain read passes the replica. */
async function requireUser(admin: Administrator, userId: string, db = admin.deps.db) {
  return found(await findUser(db, admin.tenantId, userId), notFound(userId))
}

/** Refuses a password the policy refuses, as a field error on `#/password`. */
async function checkPassword(admin: Administrator, password: string, email: string) {
  const detail = await newPasswordProblem(admin.deps, password, { email })
  if (detail !== undefined) throw problems.validation([{ pointer: '#/password', detail }])
}

/**
 * A one-time link to the set-password page: 256 random bits, stored only as its SHA-256
 * (checklist C07, RFC 6819 §5.1.4.1.3), shown once.
 */
async function newLink(admin: Administrator, userId: string, now: number, lifetimeSeconds: number) {
  const token = randomToken()
  const expiresAt = now + lifetimeSeconds
  return {
    url: `${admin.deps.config.issuer}/account/set-password?token=${token}`,
    expiration: isoTime(expiresAt),
    stored: { tokenHash: await sha256(token), userId, createdAt: now, expiresAt },
  }
}

/**
 * A tenant's users (docs/architecture.md): list, create (with a password or
 * an invitation link), read, replace, delete, set a password, create a password-reset link.
 * Disabling, deleting, setting a password and creating a reset link end the user's sessions and
 * revoke their grants in the same transaction as the change.
 */
export function registerUserRoutes(api: OpenAPIHono<AppEnv>) {
  api.openapi(
    route({
      method: 'get',
      path: users,
      summary: 'List users',
      request: { params: TenantParams, query: PageQuery },
      responses: {
        200: json(UserList, 'One page of users and the total'),
        ...problemResponses(400),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const page = await listUsers(c.get('deps').replica, tenantId, c.req.valid('query'))
      return c.json({ items: page.items.map(toUserResource), total: page.total }, 200)
    },
  )

  api.openapi(
    route({
      method: 'post',
      path: users,
      summary: 'Create a user',
      description:
        'With `password`, the user can sign in at once. Without it, the response carries a ' +
        'one-time `invitationUrl` (valid 7 days) where the user sets it; it is shown only here.',
      request: { params: TenantParams, body: jsonBody(CreateUser) },
      responses: { 201: json(CreatedUser, 'The user created'), ...problemResponses(400, 409) },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const body = c.req.valid('json')
      const admin = administrator(c, tenantId)
      if (body.password !== undefined) await checkPassword(admin, body.password, body.email)
      const now = admin.deps.now()
      const user = toUser(body, { id: randomId(), tenantId, createdAt: now, updatedAt: now })
      const passwordHash = body.password === undefined ? null : await hashPassword(body.password)
      const link =
        passwordHash === null
          ? await newLink(admin, user.id, now, INVITATION_LIFETIME_SECONDS)
          : undefined
      await applyChange(admin, {
        roleIds: body.roleIds,
        audit: {
          action: 'user.created',
          target: { type: 'user', id: user.id },
          details: { email: user.email, roleIds: user.roleIds, invited: link !== undefined },
        },
        write: (audit) =>
          insertUser(admin.deps.db, user, passwordHash, { invitation: link?.stored, audit }),
        refusals: { 'duplicate-email': duplicateEmail(body.email) },
      })
      c.header('Location', `/api/v1/tenants/${tenantId}/users/${user.id}`)
      const created: CreatedUserResource = toUserResource({
        ...user,
        hasPassword: passwordHash !== null,
        passkeyCount: 0,
      })
      if (link !== undefined) {
        created.invitationUrl = link.url
        created.invitationExpiration = link.expiration
      }
      return c.json(created, 201)
    },
  )

  api.openapi(
    route({
      method: 'get',
      path: `${users}/{userId}`,
      summary: 'Read a user',
      request: { params: UserParams },
      responses: { 200: json(User, 'The user'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, userId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      return c.json(toUserResource(await requireUser(admin, userId, admin.deps.replica)), 200)
    },
  )

  api.openapi(
    route({
      method: 'put',
      path: `${users}/{userId}`,
      summary: 'Replace a user',
      description:
        'Replaces email, name, enabled and roles; an omitted optional field returns to its ' +
        'default. Disabling ends the sessions and revokes the grants of the user at once.',
      request: { params: UserParams, body: jsonBody(ReplaceUser) },
      responses: {
        200: json(User, 'The user as replaced'),
        ...problemResponses(400, 404, 409),
      },
    }),
    async (c) => {
      const { tenantId, userId } = c.req.valid('param')
      const body = c.req.valid('json')
      checkBodyId(body.id, userId, 'user')
      const admin = administrator(c, tenantId)
      const existing = await requireUser(admin, userId)
      const user = toUser(body, {
        id: userId,
        tenantId,
        createdAt: existing.createdAt,
        updatedAt: admin.deps.now(),
      })
      await applyChange(admin, {
        roleIds: body.roleIds,
        audit: {
          action: 'user.replaced',
          target: { type: 'user', id: userId },
          details: { email: user.email, enabled: user.enabled, roleIds: user.roleIds },
        },
        write: (audit) => replaceUser(admin.deps.db, user, audit),
        refusals: { 'duplicate-email': duplicateEmail(body.email), 'not-found': notFound(userId) },
      })
      return c.json(
        toUserResource({
          ...user,
          hasPassword: existing.hasPassword,
          passkeyCount: existing.passkeyCount,
        }),
        200,
      )
    },
  )

  api.openapi(
    route({
      method: 'delete',
      path: `${users}/{userId}`,
      summary: 'Delete a user',
      description: 'Their sessions end and their grants are revoked at once.',
      request: { params: UserParams },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, userId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      const existing = await requireUser(admin, userId)
      await applyChange(admin, {
        audit: {
          action: 'user.deleted',
          target: { type: 'user', id: userId },
          details: { email: existing.email },
        },
        write: (audit) => deleteUser(admin.deps.db, tenantId, userId, admin.deps.now(), audit),
        refusals: { 'not-found': notFound(userId) },
      })
      return c.body(null, 204)
    },
  )

  api.openapi(
    route({
      method: 'post',
      path: `${users}/{userId}/password`,
      summary: "Set a user's password",
      description:
        'Outstanding invitation and reset links stop working; the sessions of the user end ' +
        'and their grants are revoked.',
      request: { params: UserParams, body: jsonBody(SetPassword) },
      responses: { 204: { description: 'Password set' }, ...problemResponses(400, 404) },
    }),
    async (c) => {
      const { tenantId, userId } = c.req.valid('param')
      const { password } = c.req.valid('json')
      const admin = administrator(c, tenantId)
      const user = await requireUser(admin, userId)
      await checkPassword(admin, password, user.email)
      const passwordHash = await hashPassword(password)
      await applyChange(admin, {
        audit: { action: 'user.password_set', target: { type: 'user', id: userId } },
        write: (audit) =>
          setUserPassword(admin.deps.db, user, passwordHash, admin.deps.now(), audit),
        refusals: { 'not-found': notFound(userId) },
      })
      return c.body(null, 204)
    },
  )

  api.openapi(
    route({
      method: 'post',
      path: `${users}/{userId}/password-reset`,
      summary: 'Create a password-reset link',
      description:
        'A one-time link (valid 24 hours) where the user sets a new password, shown only in ' +
        'this response. Earlier links stop working; the sessions of the user end and their ' +
        'grants are revoked.',
      request: { params: UserParams },
      responses: { 200: json(PasswordResetLink, 'The link'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, userId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await requireUser(admin, userId)
      const link = await newLink(admin, userId, admin.deps.now(), RESET_LINK_LIFETIME_SECONDS)
      await applyChange(admin, {
        audit: {
          action: 'user.password_reset_link_created',
          target: { type: 'user', id: userId },
          details: { expiration: link.expiration },
        },
        write: (audit) => insertPasswordResetLink(admin.deps.db, link.stored, audit),
        refusals: {},
      })
      return c.json({ resetUrl: link.url, expiration: link.expiration }, 200)
    },
  )
}
