import { list, PageQuery, Timestamp } from './schemas'
import * as z from './zod-openapi'

// The audit log of the management API (see schemas.ts).

export const AuditEvent = z
  .object({
    id: z.number().int(),
    occurredAt: Timestamp,
    actorType: z.enum(['user', 'client', 'operator', 'system']),
    actorId: z.string().nullable(),
    action: z.string().openapi({ example: 'client.created' }),
    targetType: z.string().optional(),
    targetId: z.string().optional(),
    requestId: z.string().optional(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent')

export const AuditEventList = list(AuditEvent, 'AuditEventList')

/** A time bound of a listing: an ISO 8601 date-time with offset. */
const TimeBound = z.iso.datetime({ offset: true })

/** Paging plus the filters of the audit log (every one optional; together they all apply). */
export const AuditQuery = PageQuery.extend({
  action: z.string().max(100).optional().openapi({ example: 'client.created' }),
  targetId: z.string().max(100).optional().openapi({ description: 'Events about this resource' }),
  since: TimeBound.optional().openapi({ description: 'Events at or after this time' }),
  until: TimeBound.optional().openapi({ description: 'Events before this time' }),
})
