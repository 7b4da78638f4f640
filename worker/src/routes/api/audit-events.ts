import { createRoute, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { listAuditEvents } from '../../storage/audit'
import { AuditEventList } from './audit-schemas'
import { isoTime } from './iso-time'
import { json, problemResponses } from './openapi-responses'
import { PageQuery, TenantParams } from './schemas'

/** The tenant's audit log, newest first: who changed what, when (never a secret). */
export function registerAuditRoutes(api: OpenAPIHono<AppEnv>) {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenantId}/audit-events',
      tags: ['audit-events'],
      security: [{ bearer: [] }],
      summary: 'Read the audit log',
      request: { params: TenantParams, query: PageQuery },
      responses: {
        200: json(AuditEventList, 'One page of events, newest first'),
        ...problemResponses(400),
      },
    }),
    async (c) => {
      const { tenantId } = c.req.valid('param')
      const page = await listAuditEvents(c.get('deps').db, tenantId, c.req.valid('query'))
      const items = page.items.map(({ tenantId: _, ...event }) => ({
        ...event,
        occurredAt: isoTime(event.occurredAt),
      }))
      return c.json({ items, total: page.total }, 200)
    },
  )
}
