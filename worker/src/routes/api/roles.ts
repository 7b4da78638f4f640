import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { randomId } from '../../crypto/random'
import type { Role } from '../../domain/role'
import { problems } from '../../errors'
import { deleteRole, findRole, insertRole, listRoles, updateRole } from '../../storage/roles'
import { type Administrator, administrator, applyChange, checkBodyId, found } from './admin-change'
import { json, problemResponses } from './openapi-responses'
import type { RoleResource } from './resource-types'
import { RoleInput, RoleList, Role as RoleSchema } from './role-schemas'
import { RoleParams, TenantParams } from './schemas'

const tags = ['roles']
const security = [{ bearer: [] }]

const toRoleResource = (role: Pick<Role, keyof RoleResource>): RoleResource => ({
  id: role.id,
  name: role.name,
  description: role.description,
  builtIn: role.builtIn,
})

const duplicateName = (name: string) => () =>
  problems.conflict(`A role named ${JSON.stringify(name)} exists already`)
const notFound = (roleId: string) => () => problems.notFound(`No role ${roleId}`)

/** A custom role of the tenant: 404 when there is none, 409 for a built-in one. */
async function requireCustomRole(admin: Administrator, roleId: string, verb: string) {
  const role = found(await findRole(admin.deps.db, admin.tenantId, roleId), notFound(roleId))
  if (role.builtIn) throw problems.conflict(`Built-in roles cannot be ${verb}`)
  return role
}

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
      const { tenantId } = c.req.valid('param')
      const items = (await listRoles(c.get('deps').replica, tenantId)).map(toRoleResource)
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
      responses: { 201: json(RoleSchema, 'The role created'), ...problemResponses(400, 409) },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const { name, description } = c.req.valid('json')
      const admin = administrator(c, tenantId)
      const now = admin.deps.now()
      const role: Role = {
        id: randomId(),
        tenantId,
        name,
        description,
        builtIn: false,
        createdAt: now,
        updatedAt: now,
      }
      await applyChange(admin, {
        audit: { action: 'role.created', target: { type: 'role', id: role.id }, details: { name } },
        write: (audit) => insertRole(admin.deps.db, role, audit),
        refusals: { 'duplicate-name': duplicateName(name) },
      })
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
      responses: { 200: json(RoleSchema, 'The role'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, roleId } = c.req.valid('param')
      const role = await findRole(c.get('deps').replica, tenantId, roleId)
      return c.json(toRoleResource(found(role, notFound(roleId))), 200)
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
      responses: {
        200: json(RoleSchema, 'The role as replaced'),
        ...problemResponses(400, 404, 409),
      },
    }),
    async (c) => {
      const { tenantId, roleId } = c.req.valid('param')
      const { id, name, description } = c.req.valid('json')
      checkBodyId(id, roleId, 'role')
      const admin = administrator(c, tenantId)
      await requireCustomRole(admin, roleId, 'changed')
      const role = { tenantId, id: roleId, name, description, updatedAt: admin.deps.now() }
      await applyChange(admin, {
        audit: { action: 'role.replaced', target: { type: 'role', id: roleId }, details: { name } },
        write: (audit) => updateRole(admin.deps.db, role, audit),
        refusals: { 'duplicate-name': duplicateName(name), 'not-found': notFound(roleId) },
      })
      return c.json(toRoleResource({ ...role, builtIn: false }), 200)
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
      const admin = administrator(c, tenantId)
      const existing = await requireCustomRole(admin, roleId, 'deleted')
      await applyChange(admin, {
        audit: {
          action: 'role.deleted',
          target: { type: 'role', id: roleId },
          details: { name: existing.name },
        },
        write: (audit) => deleteRole(admin.deps.db, tenantId, roleId, audit),
        refusals: { 'not-found': notFound(roleId) },
      })
      return c.body(null, 204)
    },
  )
}
