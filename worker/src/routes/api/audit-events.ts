import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { listAuditEvents } from '../../storage/audit'
import { AuditEventList, AuditQuery } from './audit-schemas'
import { isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import { TenantParams } from './schemas'

/**
 * The tenant's audit log, newest first: who changed what, when (never a secret); filtered by
 * action, target and time when the query asks.
 */
export function registerAuditRoutes(api: OpenAPIHono<AppEnv>) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenantId}/audit-events',
      tags: ['audit-events'],
      security: [{ bearer: [] }],
      summary: 'Read the audit log',
      request: { params: TenantParams, query: AuditQuery },
      responses: {
        200: json(AuditEventList, 'One page of events, newest first'),
        ...problemResponses(400),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const { skip, count, action, targetId, since, until } = c.req.valid('query')
      const seconds = (time: string | undefined) =>
        time === undefined ? undefined : Math.floor(Date.parse(time) / 1000)
      const page = await listAuditEvents(
        c.get('deps').replica,
        tenantId,
        { skip, count },
        { action, targetId, since: seconds(since), until: seconds(until) },
      )
      const items = page.items.map(({ tenantId: _, ...event }) => ({
        ...event,
        occurredAt: isoTime(event.occurredAt),
      }))
      return c.json({ items, total: page.total }, 200)
    },
  )
}
