import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { randomId } from '../../crypto/random'
import { type ApiResource, registrableIdentifierProblem } from '../../domain/resource'
import { problems } from '../../errors'
import {
  deleteResource,
  findResource,
  insertResource,
  listResources,
  updateResource,
} from '../../storage/resources'
import { type Administrator, administrator, applyChange, checkBodyId, found } from './admin-change'
import { isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import {
  CreateResource,
  ReplaceResource,
  ResourceList,
  Resource as ResourceSchema,
} from './resource-schemas'
import type { ResourceChange, ResourceResource } from './resource-types'
import { PageQuery, ResourceParams, TenantParams } from './schemas'

const tags = ['resources']
const security = [{ bearer: [] }]

const toResource = (resource: ApiResource): ResourceResource => ({
  id: resource.id,
  identifier: resource.identifier,
  name: resource.name,
  scopes: resource.scopes,
  accessTokenLifetime: resource.accessTokenLifetime,
  requireDpop: resource.requireDpop,
  createdAt: isoTime(resource.createdAt),
  updatedAt: isoTime(resource.updatedAt),
})

const duplicate = (identifier: string) => () =>
  problems.conflict(`A resource with the identifier ${JSON.stringify(identifier)} exists already`)
const notFound = (resourceId: string) => () => problems.notFound(`No resource ${resourceId}`)

/**
 * The identifier's scheme, which depends on the deployment: https, and http on loopback hosts
 * outside production; and never the management API's own identifier.
 */
function checkIdentifier(admin: Administrator, identifier: string): void {
  const { config } = admin.deps
  const detail =
    identifier === `${config.issuer}/api`
      ? 'Is the management API, a built-in resource'
      : registrableIdentifierProblem(identifier, config.environment === 'production')
  if (detail !== undefined) throw problems.validation([{ pointer: '#/identifier', detail }])
}

const auditDetails = (change: ResourceChange) => ({
  identifier: change.identifier,
  name: change.name,
  scopes: change.scopes,
  accessTokenLifetime: change.accessTokenLifetime,
  requireDpop: change.requireDpop,
})

/**
 * A tenant's API resources (RFC 8707 resource indicators): what clients name with `resource`,
 * and what the access tokens they get are then for. The management API itself is the built-in
 * resource `{issuer}/api` and is not listed.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707 RFC 8707}
 */
export function registerResourceRoutes(api: OpenAPIHono<AppEnv>) {
  const resources = '/tenants/{tenantId}/resources'

  api.openapi(
    createRoute({
      method: 'get',
      path: resources,
      tags,
      security,
      summary: 'List API resources',
      request: { params: TenantParams, query: PageQuery },
      responses: { 200: json(ResourceList, 'A page of resources'), ...problemResponses() },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const page = await listResources(c.get('deps').replica, tenantId, c.req.valid('query'))
      return c.json({ items: page.items.map(toResource), total: page.total }, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'post',
      path: resources,
      tags,
      security,
      summary: 'Register an API resource',
      request: {
        params: TenantParams,
        body: { content: { 'application/json': { schema: CreateResource } }, required: true },
      },
      responses: {
        201: json(ResourceSchema, 'The resource registered'),
        ...problemResponses(400, 409),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const body = c.req.valid('json')
      const admin = administrator(c, tenantId)
      checkIdentifier(admin, body.identifier)
      const now = admin.deps.now()
      const resource: ApiResource = {
        id: randomId(),
        tenantId,
        ...body,
        createdAt: now,
        updatedAt: now,
      }
      await applyChange(admin, {
        audit: {
          action: 'resource.created',
          target: { type: 'resource', id: resource.id },
          details: auditDetails(body),
        },
        write: (audit) => insertResource(admin.deps.db, resource, audit),
        refusals: { 'duplicate-identifier': duplicate(body.identifier) },
      })
      c.header('Location', `/api/v1/tenants/${tenantId}/resources/${resource.id}`)
      return c.json(toResource(resource), 201)
    },
  )

  api.openapi(
    createRoute({
      method: 'get',
      path: `${resources}/{resourceId}`,
      tags,
      security,
      summary: 'Read an API resource',
      request: { params: ResourceParams },
      responses: { 200: json(ResourceSchema, 'The resource'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, resourceId } = c.req.valid('param')
      const resource = await findResource(c.get('deps').replica, tenantId, resourceId)
      return c.json(toResource(found(resource, notFound(resourceId))), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'put',
      path: `${resources}/{resourceId}`,
      tags,
      security,
      summary: 'Replace an API resource',
      description:
        'Tokens already issued keep what they were issued with until they expire; codes and ' +
        'grants that name the resource get tokens with its new settings.',
      request: {
        params: ResourceParams,
        body: { content: { 'application/json': { schema: ReplaceResource } }, required: true },
      },
      responses: {
        200: json(ResourceSchema, 'The resource as replaced'),
        ...problemResponses(400, 404, 409),
      },
    }),
    async (c) => {
      const { tenantId, resourceId } = c.req.valid('param')
      const { id, createdAt: _c, updatedAt: _u, ...body } = c.req.valid('json')
      checkBodyId(id, resourceId, 'resource')
      const admin = administrator(c, tenantId)
      checkIdentifier(admin, body.identifier)
      const existing = found(
        await findResource(admin.deps.db, tenantId, resourceId),
        notFound(resourceId),
      )
      const resource: ApiResource = {
        ...existing,
        ...body,
        updatedAt: admin.deps.now(),
      }
      await applyChange(admin, {
        audit: {
          action: 'resource.replaced',
          target: { type: 'resource', id: resourceId },
          details: auditDetails(body),
        },
        write: (audit) => updateResource(admin.deps.db, resource, audit),
        refusals: {
          'duplicate-identifier': duplicate(body.identifier),
          'not-found': notFound(resourceId),
        },
      })
      return c.json(toResource(resource), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'delete',
      path: `${resources}/{resourceId}`,
      tags,
      security,
      summary: 'Delete an API resource',
      description:
        'Clients can no longer get tokens for it; tokens already issued stay valid until they ' +
        'expire (they are self-contained JWTs).',
      request: { params: ResourceParams },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, resourceId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      const existing = found(
        await findResource(admin.deps.db, tenantId, resourceId),
        notFound(resourceId),
      )
      await applyChange(admin, {
        audit: {
          action: 'resource.deleted',
          target: { type: 'resource', id: resourceId },
          details: { identifier: existing.identifier, name: existing.name },
        },
        write: (audit) => deleteResource(admin.deps.db, tenantId, resourceId, audit),
        refusals: { 'not-found': notFound(resourceId) },
      })
      return c.body(null, 204)
    },
  )
}
