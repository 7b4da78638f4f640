import { createRoute, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { problems } from '../../errors'
import { deletePasskeys, listPasskeys, type Passkey } from '../../storage/passkeys'
import { findUser } from '../../storage/users'
import { type Administrator, administrator, applyChange, auditEvent, found } from './admin-change'
import { isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import type { UserPasskeyResource } from './resource-types'
import { UserParams } from './schemas'
import { UserPasskeyList } from './user-schemas'
import * as z from './zod-openapi'

const passkeys = '/tenants/{tenantId}/users/{userId}/passkeys'

/** A credential id in a path: base64url, as long as WebAuthn allows (1023 bytes). */
const PasskeyParams = UserParams.extend({
  passkeyId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,1400}$/, 'Must be a credential id (base64url)')
    .openapi({ param: { name: 'passkeyId', in: 'path' } }),
})

const route = <R extends Omit<RouteConfig, 'tags' | 'security'>>(config: R) =>
  createRoute({ ...config, tags: ['users'], security: [{ bearer: [] }] })

const toResource = (passkey: Passkey): UserPasskeyResource => ({
  id: passkey.id,
  name: passkey.name,
  createdAt: isoTime(passkey.createdAt),
  lastUsedAt: passkey.lastUsedAt === null ? null : isoTime(passkey.lastUsedAt),
  backupEligible: passkey.backupEligible,
  backedUp: passkey.backedUp,
  transports: passkey.transports,
})

/** `db` is the primary before a write; a plain read passes the replica. */
async function requireUser(admin: Administrator, userId: string, db = admin.deps.db) {
  return found(await findUser(db, admin.tenantId, userId), () =>
    problems.notFound(`No user ${userId}`),
  )
}

/**
 * A user's passkeys for administrators: list them, remove one or all (a user who lost a device,
 * or an account taken over). Each removal is audited in the same transaction (`passkey.deleted`,
 * with the credential id or `all`); the user's sessions are not ended by it.
 */
export function registerUserPasskeyRoutes(api: OpenAPIHono<AppEnv>) {
  api.openapi(
    route({
      method: 'get',
      path: passkeys,
      summary: "List a user's passkeys",
      request: { params: UserParams },
      responses: {
        200: json(UserPasskeyList, 'The passkeys, oldest first'),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { tenantId, userId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await requireUser(admin, userId, admin.deps.replica)
      const items = (await listPasskeys(admin.deps.replica, tenantId, userId)).map(toResource)
      return c.json({ items, total: items.length }, 200)
    },
  )

  api.openapi(
    route({
      method: 'delete',
      path: passkeys,
      summary: "Remove all of a user's passkeys",
      description:
        'The user signs in with the password (or an invitation link) until they add one.',
      request: { params: UserParams },
      responses: { 204: { description: 'Removed (or there were none)' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, userId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await requireUser(admin, userId)
      const audit = auditEvent(admin, {
        action: 'passkey.deleted',
        target: { type: 'user', id: userId },
        details: { credentialId: 'all' },
      })
      await deletePasskeys(admin.deps.db, { tenantId, userId }, undefined, audit)
      return c.body(null, 204)
    },
  )

  api.openapi(
    route({
      method: 'delete',
      path: `${passkeys}/{passkeyId}`,
      summary: "Remove one of a user's passkeys",
      request: { params: PasskeyParams },
      responses: { 204: { description: 'Removed' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, userId, passkeyId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await requireUser(admin, userId)
      await applyChange(admin, {
        audit: {
          action: 'passkey.deleted',
          target: { type: 'user', id: userId },
          details: { credentialId: passkeyId },
        },
        write: async (audit) =>
          (await deletePasskeys(admin.deps.db, { tenantId, userId }, passkeyId, audit)) === 1
            ? 'written'
            : 'not-found',
        refusals: { 'not-found': () => problems.notFound(`No passkey ${passkeyId}`) },
      })
      return c.body(null, 204)
    },
  )
}
