import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { randomId } from '../../crypto/random'
import type { Role as RoleModel } from '../../domain/role'
import { problems } from '../../errors'
import { nowSeconds } from '../../storage/db'
import { deleteRole, findRole, insertRole, listRoles, updateRole } from '../../storage/roles'
import { auditEvent } from './audit-event'
import { json, problemResponses } from './responses'
import { list, Role, RoleInput, RoleParams, TenantParams } from './schemas'

const RoleList = list(Role, 'RoleList')
const tags = ['roles']
const security = [{ bearer: [] }]

const toRoleResource = (role: RoleModel) => ({
  id: role.id,
  name: role.name,
  description: role.description,
  builtIn: role.builtIn,
})

/**
 * A tenant's roles: the built-in Account Member and Account Administrator (read-only) and custom
 * roles, which administrators create, rename and delete (holders lose a deleted role).
 */
export function registerRoleRoutes(api: OpenAPIHono<AppEnv>) {
  const roles = '/tenants/{tenantId}/roles'

  api.openapi(
    createRoute({
      method: 'get',
      path: roles,
      tags,
      security,
      summary: 'List roles',
      request: { params: TenantParams },
      responses: { 200: json(RoleList, 'Every role of the tenant'), ...problemResponses() },
    }),
    async (c) => {
      const items = (await listRoles(c.get('db'), c.req.valid('param').tenantId)).map(
        toRoleResource,
      )
      return c.json({ items, total: items.length }, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'post',
      path: roles,
      tags,
      security,
      summary: 'Create a custom role',
      request: {
        params: TenantParams,
        body: { content: { 'application/json': { schema: RoleInput } }, required: true },
      },
      responses: { 201: json(Role, 'The role created'), ...problemResponses(400, 409) },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const { name, description } = c.req.valid('json')
      const now = nowSeconds()
      const role: RoleModel = {
        id: randomId(),
        tenantId,
        name,
        description,
        builtIn: false,
        createdAt: now,
        updatedAt: now,
      }
      const audit = auditEvent(c, 'role.created', { type: 'role', id: role.id }, { name })
      if ((await insertRole(c.get('db'), role, audit)) === 'duplicate-name') {
        throw problems.conflict(`A role named ${JSON.stringify(name)} exists already`)
      }
      c.header('Location', `/api/v1/tenants/${tenantId}/roles/${role.id}`)
      return c.json(toRoleResource(role), 201)
    },
  )

  api.openapi(
    createRoute({
      method: 'get',
      path: `${roles}/{roleId}`,
      tags,
      security,
      summary: 'Read a role',
      request: { params: RoleParams },
      responses: { 200: json(Role, 'The role'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, roleId } = c.req.valid('param')
      const role = await findRole(c.get('db'), tenantId, roleId)
      if (role === null) throw problems.notFound(`No role ${roleId}`)
      return c.json(toRoleResource(role), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'put',
      path: `${roles}/{roleId}`,
      tags,
      security,
      summary: 'Replace a custom role',
      description: 'Built-in roles cannot be changed (409).',
      request: {
        params: RoleParams,
        body: { content: { 'application/json': { schema: RoleInput } }, required: true },
      },
      responses: { 200: json(Role, 'The role as replaced'), ...problemResponses(400, 404, 409) },
    }),
    async (c) => {
      const { tenantId, roleId } = c.req.valid('param')
      const { id, name, description } = c.req.valid('json')
      if (id !== undefined && id !== roleId) {
        throw problems.validation([
          { pointer: '#/id', detail: 'Must equal the role id of the URL' },
        ])
      }
      const db = c.get('db')
      const existing = await findRole(db, tenantId, roleId)
      if (existing === null) throw problems.notFound(`No role ${roleId}`)
      if (existing.builtIn) throw problems.conflict('Built-in roles cannot be changed')
      const audit = auditEvent(c, 'role.replaced', { type: 'role', id: roleId }, { name })
      const result = await updateRole(
        db,
        { tenantId, id: roleId, name, description, updatedAt: nowSeconds() },
        audit,
      )
      if (result === 'duplicate-name')
        throw problems.conflict(`A role named ${JSON.stringify(name)} exists already`)
      if (result === 'not-found') throw problems.notFound(`No role ${roleId}`)
      return c.json({ id: roleId, name, description, builtIn: false }, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'delete',
      path: `${roles}/{roleId}`,
      tags,
      security,
      summary: 'Delete a custom role',
      description:
        'Users and clients that held it lose it. Built-in roles cannot be deleted (409).',
      request: { params: RoleParams },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404, 409) },
    }),
    async (c) => {
      const { tenantId, roleId } = c.req.valid('param')
      const db = c.get('db')
      const existing = await findRole(db, tenantId, roleId)
      if (existing === null) throw problems.notFound(`No role ${roleId}`)
      if (existing.builtIn) throw problems.conflict('Built-in roles cannot be deleted')
      const audit = auditEvent(
        c,
        'role.deleted',
        { type: 'role', id: roleId },
        { name: existing.name },
      )
      if (!(await deleteRole(db, tenantId, roleId, audit)))
        throw problems.notFound(`No role ${roleId}`)
      return c.body(null, 204)
    },
  )
}
