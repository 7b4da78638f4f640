import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppContext, AppEnv } from '../../context'
import {
  type ClientType,
  DEFAULT_SECRET_LIFETIME_SECONDS,
  MAX_SECRETS_PER_CLIENT,
} from '../../domain/client'
import { problems } from '../../errors'
import {
  deleteClientSecret,
  insertClientSecret,
  listClientSecrets,
} from '../../storage/client-secrets'
import { findClient } from '../../storage/clients'
import { nowSeconds } from '../../storage/db'
import { auditEvent } from './audit-event'
import { COLLECTIONS, newSecret, toCreatedSecret } from './clients'
import { expirationSeconds, isoTime, json, problemResponses } from './responses'
import { AddSecret, ClientParams, CreatedSecret, list, Secret, SecretParams } from './schemas'

const SecretList = list(Secret, 'ClientSecretList')

async function requireClient(c: AppContext, type: ClientType, tenantId: string, clientId: string) {
  const client = await findClient(c.get('db'), tenantId, type, clientId)
  if (client === null) throw problems.notFound(`No ${type} client ${clientId}`)
  return client
}

/**
 * A confidential client's secrets: list (never the values), add (the value is answered once),
 * delete (takes effect on the next token request). Rotation as the seed recommends: add a new
 * secret, move the application to it, delete the old one; both work in between.
 */
export function registerSecretRoutes(
  api: OpenAPIHono<AppEnv>,
  type: 'client-credentials' | 'hybrid',
) {
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
      await requireClient(c, type, tenantId, clientId)
      const items = (await listClientSecrets(c.get('db'), clientId)).map((secret) => ({
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
      await requireClient(c, type, tenantId, clientId)
      const now = nowSeconds()
      const secret = await newSecret(
        body.description,
        expirationSeconds(body.expiration, now, DEFAULT_SECRET_LIFETIME_SECONDS),
      )
      const audit = auditEvent(
        c,
        'client_secret.added',
        { type: 'client', id: clientId },
        {
          secretId: secret.stored.id,
          expiration: secret.stored.expiresAt === null ? null : isoTime(secret.stored.expiresAt),
        },
      )
      if (!(await insertClientSecret(c.get('db'), clientId, secret.stored, now, audit))) {
        throw problems.limitExceeded(`A client has at most ${MAX_SECRETS_PER_CLIENT} secrets`)
      }
      c.header(
        'Location',
        `/api/v1/tenants/${tenantId}/${COLLECTIONS[type]}/${clientId}/secrets/${secret.stored.id}`,
      )
      return c.json(toCreatedSecret(secret), 201)
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
      await requireClient(c, type, tenantId, clientId)
      const audit = auditEvent(
        c,
        'client_secret.deleted',
        { type: 'client', id: clientId },
        { secretId },
      )
      if (!(await deleteClientSecret(c.get('db'), clientId, secretId, audit))) {
        throw problems.notFound(`No secret ${secretId}`)
      }
      return c.body(null, 204)
    },
  )
}
