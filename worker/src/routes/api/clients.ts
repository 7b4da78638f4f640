import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { sha256 } from '../../crypto/hash'
import { randomId, randomToken } from '../../crypto/random'
import { withAccountMember } from '../../domain/built-in-roles'
import {
  type Client,
  type ClientType,
  DEFAULT_SECRET_LIFETIME_SECONDS,
  hasSecrets,
} from '../../domain/client'
import { problems } from '../../errors'
import {
  deleteClient,
  findClient,
  insertClient,
  listClients,
  replaceClient,
} from '../../storage/clients'
import { administrator, applyChange, checkBodyId, found } from './admin-change'
import { type ClientSetting, clientSchemas, KIND_SETTINGS } from './client-schemas'
import { expirationSeconds, isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import type {
  ClientReplace,
  ClientResource,
  CreatedClientResource,
  CreatedSecretResource,
} from './resource-types'
import { ClientParams, PageQuery, TenantParams } from './schemas'

/** The collection of each kind of client under /api/v1/tenants/{tenantId}/. */
export const COLLECTIONS: Record<ClientType, string> = {
  'client-credentials': 'client-credential-clients',
  'authorization-code': 'authorization-code-clients',
  hybrid: 'hybrid-clients',
}

/** A client as the API shows it: only the settings its kind has (KIND_SETTINGS). */
export function toClientResource(client: Client): ClientResource {
  const settings = KIND_SETTINGS[client.type].map((setting) => [setting, client[setting]])
  return {
    id: client.id,
    name: client.name,
    enabled: client.enabled,
    accessTokenLifetime: client.accessTokenLifetime,
    roleIds: [...client.roleIds].sort(),
    requireDpop: client.requireDpop,
    createdAt: isoTime(client.createdAt),
    updatedAt: isoTime(client.updatedAt),
    ...(Object.fromEntries(settings) as Partial<Pick<Client, ClientSetting>>),
  }
}

/** A new secret: 256 random bits, stored only as its SHA-256 (checklist D07). */
export async function newSecret(description: string, expiresAt: number | null) {
  const value = randomToken()
  return { value, stored: { id: randomId(), hash: await sha256(value), description, expiresAt } }
}

/** A new secret as the API answers it, the one time its value is shown. */
export function toCreatedSecret({
  value,
  stored,
}: Awaited<ReturnType<typeof newSecret>>): CreatedSecretResource {
  const expiration = stored.expiresAt === null ? null : isoTime(stored.expiresAt)
  return { id: stored.id, description: stored.description, expiration, value }
}

/** List, create, read, replace and delete for one kind of client (docs/architecture.md). */
export function registerClientRoutes(api: OpenAPIHono<AppEnv>, type: ClientType) {
  const collection = `/tenants/{tenantId}/${COLLECTIONS[type]}`
  const schemas = clientSchemas(type)
  const tags = [COLLECTIONS[type]]
  const security = [{ bearer: [] }]
  const notFound = (clientId: string) => () => problems.notFound(`No ${type} client ${clientId}`)

  api.openapi(
    createRoute({
      method: 'get',
      path: collection,
      tags,
      security,
      summary: `List ${type} clients`,
      request: { params: TenantParams, query: PageQuery },
      responses: {
        200: json(schemas.list, 'One page of clients and the total'),
        ...problemResponses(400),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const page = await listClients(c.get('deps').replica, tenantId, type, c.req.valid('query'))
      return c.json({ items: page.items.map(toClientResource), total: page.total }, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'post',
      path: collection,
      tags,
      security,
      summary: `Create a ${type} client`,
      description: hasSecrets(type)
        ? 'Creates the client with its first secret. The secret value is in this response only.'
        : 'Creates the client. Browser clients have no secret (PKCE instead).',
      request: {
        params: TenantParams,
        body: { content: { 'application/json': { schema: schemas.create } }, required: true },
      },
      responses: {
        201: json(schemas.created, 'The client created'),
        ...problemResponses(400, 409),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const body = c.req.valid('json')
      const admin = administrator(c, tenantId)
      const now = admin.deps.now()
      const fixed = { id: randomId(), tenantId, type, createdAt: now, updatedAt: now }
      const client = toClient(body, fixed)
      const secret = hasSecrets(type)
        ? await newSecret(
            body.secretDescription ?? '',
            expirationSeconds(body.secretExpiration, now, DEFAULT_SECRET_LIFETIME_SECONDS),
          )
        : undefined
      await applyChange(admin, {
        roleIds: body.roleIds,
        audit: {
          action: 'client.created',
          target: { type: 'client', id: client.id },
          details: { clientType: type, name: client.name, requireDpop: client.requireDpop },
        },
        write: (audit) => insertClient(admin.deps.db, client, secret?.stored, audit),
        refusals: {
          'limit-reached': () =>
            problems.limitExceeded('The tenant has reached its limit of 50,000 clients'),
        },
      })
      c.header('Location', `/api/v1/tenants/${tenantId}/${COLLECTIONS[type]}/${client.id}`)
      const created: CreatedClientResource = toClientResource(client)
      if (secret !== undefined) created.secret = toCreatedSecret(secret)
      return c.json(created, 201)
    },
  )

  api.openapi(
    createRoute({
      method: 'get',
      path: `${collection}/{clientId}`,
      tags,
      security,
      summary: `Read a ${type} client`,
      request: { params: ClientParams },
      responses: { 200: json(schemas.resource, 'The client'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const client = await findClient(c.get('deps').replica, tenantId, type, clientId)
      return c.json(toClientResource(found(client, notFound(clientId))), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'put',
      path: `${collection}/{clientId}`,
      tags,
      security,
      summary: `Replace a ${type} client`,
      description: 'Replaces every setting; an omitted optional field returns to its default.',
      request: {
        params: ClientParams,
        body: { content: { 'application/json': { schema: schemas.replace } }, required: true },
      },
      responses: {
        200: json(schemas.resource, 'The client as replaced'),
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const body = c.req.valid('json')
      checkBodyId(body.id, clientId, 'client')
      const admin = administrator(c, tenantId)
      const existing = found(
        await findClient(admin.deps.db, tenantId, type, clientId),
        notFound(clientId),
      )
      const client = toClient(body, {
        id: clientId,
        tenantId,
        type,
        createdAt: existing.createdAt,
        updatedAt: admin.deps.now(),
      })
      await applyChange(admin, {
        roleIds: body.roleIds,
        audit: {
          action: 'client.replaced',
          target: { type: 'client', id: clientId },
          details: { clientType: type, requireDpop: client.requireDpop },
        },
        write: (audit) => replaceClient(admin.deps.db, client, audit),
        refusals: { 'not-found': notFound(clientId) },
      })
      return c.json(toClientResource(client), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'delete',
      path: `${collection}/{clientId}`,
      tags,
      security,
      summary: `Delete a ${type} client`,
      description: 'Its secrets stop working at once, and its tokens are no longer accepted.',
      request: { params: ClientParams },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await applyChange(admin, {
        audit: {
          action: 'client.deleted',
          target: { type: 'client', id: clientId },
          details: { clientType: type },
        },
        write: (audit) => deleteClient(admin.deps.db, tenantId, type, clientId, audit),
        refusals: { 'not-found': notFound(clientId) },
      })
      return c.body(null, 204)
    },
  )
}

/** A client from a validated create or replace body; the kind's other settings stay empty. */
function toClient(
  body: ClientReplace,
  fixed: Pick<Client, 'id' | 'tenantId' | 'type' | 'createdAt' | 'updatedAt'>,
): Client {
  return {
    ...fixed,
    name: body.name,
    enabled: body.enabled,
    accessTokenLifetime: body.accessTokenLifetime,
    allowRefreshToken: body.allowRefreshToken ?? false,
    requireDpop: body.requireDpop,
    redirectUris: body.redirectUris ?? [],
    postLogoutRedirectUris: body.postLogoutRedirectUris ?? [],
    allowedCorsOrigins: body.allowedCorsOrigins ?? [],
    roleIds: withAccountMember(body.roleIds),
    thirdParty: null,
  }
}
