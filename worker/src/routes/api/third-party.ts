import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import type { Client } from '../../domain/client'
import { problems } from '../../errors'
import { writeAudited } from '../../storage/audit'
import {
  findThirdPartyPolicy,
  replaceThirdPartyPolicyStatement,
} from '../../storage/metadata-document-clients'
import {
  deleteThirdPartyClient,
  findThirdPartyClient,
  listThirdPartyClients,
  setThirdPartyClientEnabled,
} from '../../storage/third-party-clients'
import { administrator, applyChange, auditEvent, found } from './admin-change'
import { isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import { PageQuery, TenantParams } from './schemas'
import {
  ThirdPartyClient,
  ThirdPartyClientList,
  ThirdPartyClientParams,
  ThirdPartyClientPatch,
  ThirdPartyPolicy,
} from './third-party-schemas'
import type * as z from './zod-openapi'

const POLICY_TAGS = ['third-party-policy']
const CLIENT_TAGS = ['third-party-clients']
const security = [{ bearer: [] }]

/** A third-party client as the API shows it. */
function toThirdPartyClient(client: Client): z.infer<typeof ThirdPartyClient> {
  const thirdParty = client.thirdParty ?? {
    registration: 'dynamic' as const,
    tokenEndpointAuthMethod: 'none' as const,
    jwksUri: null,
    logoUri: null,
    clientUri: null,
  }
  return {
    id: client.id,
    name: client.name,
    registration: thirdParty.registration,
    enabled: client.enabled,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    tokenEndpointAuthMethod: thirdParty.tokenEndpointAuthMethod,
    jwksUri: thirdParty.jwksUri,
    logoUri: thirdParty.logoUri,
    clientUri: thirdParty.clientUri,
    createdAt: isoTime(client.createdAt),
    updatedAt: isoTime(client.updatedAt),
  }
}

/**
 * The tenant's third-party policy (GET, PUT) and its third-party clients (list, read, PATCH
 * `enabled`, delete), under /api/v1/tenants/{tenantId}/ (docs/api.md "Third-party clients").
 */
export function registerThirdPartyRoutes(api: OpenAPIHono<AppEnv>) {
  const policyPath = '/tenants/{tenantId}/third-party-policy'
  const collection = '/tenants/{tenantId}/third-party-clients'
  const noTenant = () => problems.notFound('No such tenant')
  const notFound = (clientId: string) => () =>
    problems.notFound(`No third-party client ${clientId}`)

  api.openapi(
    createRoute({
      method: 'get',
      path: policyPath,
      tags: POLICY_TAGS,
      security,
      summary: 'Read the third-party client policy',
      request: { params: TenantParams },
      responses: { 200: json(ThirdPartyPolicy, 'The policy'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const policy = await findThirdPartyPolicy(c.get('deps').db, tenantId)
      return c.json(found(policy, noTenant), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'put',
      path: policyPath,
      tags: POLICY_TAGS,
      security,
      summary: 'Replace the third-party client policy',
      description:
        'Checked at every use: clients of a host the new policy forbids are refused at once.',
      request: {
        params: TenantParams,
        body: { content: { 'application/json': { schema: ThirdPartyPolicy } }, required: true },
      },
      responses: {
        200: json(ThirdPartyPolicy, 'The policy as replaced'),
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const policy = c.req.valid('json')
      const admin = administrator(c, tenantId)
      const { db } = admin.deps
      const audit = auditEvent(admin, {
        action: 'third_party_policy.replaced',
        target: { type: 'tenant', id: tenantId },
        details: policy,
      })
      const outcome = await writeAudited(
        db,
        replaceThirdPartyPolicyStatement(db, tenantId, policy),
        audit,
      )
      if (outcome !== 'written') throw noTenant()
      return c.json(policy, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'get',
      path: collection,
      tags: CLIENT_TAGS,
      security,
      summary: 'List third-party clients',
      description:
        'Clients that registered themselves: metadata documents and dynamic registration.',
      request: { params: TenantParams, query: PageQuery },
      responses: {
        200: json(ThirdPartyClientList, 'One page of clients and the total'),
        ...problemResponses(400),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const page = await listThirdPartyClients(c.get('deps').db, tenantId, c.req.valid('query'))
      return c.json({ items: page.items.map(toThirdPartyClient), total: page.total }, 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'get',
      path: `${collection}/{clientId}`,
      tags: CLIENT_TAGS,
      security,
      summary: 'Read a third-party client',
      request: { params: ThirdPartyClientParams },
      responses: { 200: json(ThirdPartyClient, 'The client'), ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const client = await findThirdPartyClient(c.get('deps').db, tenantId, clientId)
      return c.json(toThirdPartyClient(found(client, notFound(clientId))), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'patch',
      path: `${collection}/{clientId}`,
      tags: CLIENT_TAGS,
      security,
      summary: 'Enable or disable a third-party client',
      request: {
        params: ThirdPartyClientParams,
        body: {
          content: { 'application/json': { schema: ThirdPartyClientPatch } },
          required: true,
        },
      },
      responses: {
        200: json(ThirdPartyClient, 'The client as changed'),
        ...problemResponses(400, 404),
      },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const { enabled } = c.req.valid('json')
      const admin = administrator(c, tenantId)
      const now = admin.deps.now()
      await applyChange(admin, {
        audit: {
          action: enabled ? 'client.enabled' : 'client.disabled',
          target: { type: 'client', id: clientId },
          details: { thirdParty: true },
        },
        write: (audit) =>
          setThirdPartyClientEnabled(admin.deps.db, tenantId, clientId, enabled, now, audit),
        refusals: { 'not-found': notFound(clientId) },
      })
      const client = await findThirdPartyClient(admin.deps.db, tenantId, clientId)
      return c.json(toThirdPartyClient(found(client, notFound(clientId))), 200)
    },
  )

  api.openapi(
    createRoute({
      method: 'delete',
      path: `${collection}/{clientId}`,
      tags: CLIENT_TAGS,
      security,
      summary: 'Delete a third-party client',
      description:
        'Its codes and grants go with it. A metadata-document client comes back at its next ' +
        'use if the policy still allows its host: forbid the host to keep it out.',
      request: { params: ThirdPartyClientParams },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(404) },
    }),
    async (c) => {
      const { tenantId, clientId } = c.req.valid('param')
      const admin = administrator(c, tenantId)
      await applyChange(admin, {
        audit: {
          action: 'client.deleted',
          target: { type: 'client', id: clientId },
          details: { thirdParty: true },
        },
        write: (audit) => deleteThirdPartyClient(admin.deps.db, tenantId, clientId, audit),
        refusals: { 'not-found': notFound(clientId) },
      })
      return c.body(null, 204)
    },
  )
}
