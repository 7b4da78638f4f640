import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { DEFAULT_SECRET_LIFETIME_SECONDS, MAX_SECRETS_PER_CLIENT } from '../../domain/client'
import { problems } from '../../errors'
import {
  deleteClientSecret,
  insertClientSecret,
  listClientSecrets,
} from '../../storage/client-secrets'
import { findClient } from '../../storage/clients'
import { type Administrator, administrator, applyChange, found } from './admin-change'
import { AddSecret, CreatedSecret, SecretList } from './client-schemas'
import { COLLECTIONS, newSecret, toCreatedSecret } from './clients'
import { expirationSeconds, isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import { ClientParams, SecretParams } from './schemas'

type ConfidentialType = 'client-credentials' | 'hybrid'

/** The client whose secrets are asked for, or 404. */
/** `db` is the primary before a write; a plain read passes the replica. */
async function requireClient(
  admin: Administrator,
  type: ConfidentialType,
  clientId: string,
  db = admin.deps.db,
) {
  const client = await findClient(db, admin.tenantId, type, clientId)
  return found(client, () => problems.notFound(`No ${type} client ${clientId}`))
}

/**
 * A confidential client's secrets: list (never the values), add (the value is answered once),
 * delete (takes effect on the next token request). Rotation (docs/architecture.md): add a new
 * secret, move the application to it, delete the old one; both work in between.
 */
export function registerSecretRoutes(api: OpenAPIHono<AppEnv>, type: ConfidentialType) {
  const secrets = `/tenants/{tenantId}/${COLLECTIONS[type]}/{clientId}/secrets`
  const tags = [COLLECTIONS[type]]
  const security = [{ bearer: [] }]

  api.openapi(
    createRoute({
      method: 'get',
      path: secrets,
      tags,
      security,
      summary: `List the secrets of a ${type} client`,
      request: { params: ClientParams },
      responses: {
        200: json(SecretList, 'The secrets, without their values'),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await requireClient(admin, type, clientId, admin.deps.replica)
      const items = (await listClientSecrets(admin.deps.replica, clientId)).map((secret) => ({
        id: secret.id,
        description: secret.description,
        expiration: secret.expiresAt === null ? null : isoTime(secret.expiresAt),
        createdAt: isoTime(secret.createdAt),
      }))
      return c.json({ items, total: items.length }, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'post',
      path: secrets,
      tags,
      security,
      summary: `Add a secret to a ${type} client`,
      description: `At most ${MAX_SECRETS_PER_CLIENT} secrets per client. The value is in this response only.`,
      request: {
        params: ClientParams,
        body: { content: { 'application/json': { schema: AddSecret } }, required: true },
      },
      responses: {
        201: json(CreatedSecret, 'The secret, with its value'),
        ...problemResponses(400, 404, 409),
      },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const body = c.req.valid('json')
      const admin = administrator(c, tenantId)
      await requireClient(admin, type, clientId)
      const now = admin.deps.now()
      const secret = await newSecret(
        body.description,
        expirationSeconds(body.expiration, now, DEFAULT_SECRET_LIFETIME_SECONDS),
      )
      const created = toCreatedSecret(secret)
      await applyChange(admin, {
        audit: {
          action: 'client_secret.added',
          target: { type: 'client', id: clientId },
          details: { secretId: created.id, expiration: created.expiration },
        },
        write: (audit) => insertClientSecret(admin.deps.db, clientId, secret.stored, now, audit),
        refusals: {
          'limit-reached': () =>
            problems.limitExceeded(`A client has at most ${MAX_SECRETS_PER_CLIENT} secrets`),
        },
      })
      c.header(
        'Location',
        `/api/v1/tenants/${tenantId}/${COLLECTIONS[type]}/${clientId}/secrets/${created.id}`,
      )
      return c.json(created, 201)
    },
  )

  api.openapi(
    createRoute({
      method: 'delete',
      path: `${secrets}/{secretId}`,
      tags,
      security,
      summary: `Delete a secret of a ${type} client`,
      description: 'The secret stops working on the very next token request.',
      request: { params: SecretParams },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, clientId, secretId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await requireClient(admin, type, clientId)
      await applyChange(admin, {
        audit: {
          action: 'client_secret.deleted',
          target: { type: 'client', id: clientId },
          details: { secretId },
        },
        write: (audit) => deleteClientSecret(admin.deps.db, clientId, secretId, audit),
        refusals: { 'not-found': () => problems.notFound(`No secret ${secretId}`) },
      })
      return c.body(null, 204)
    },
  )
}
