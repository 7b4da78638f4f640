import { z } from '@hono/zod-openapi'
import { list, Timestamp } from './schemas'

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
