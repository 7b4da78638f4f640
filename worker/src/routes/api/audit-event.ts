import type { AppContext } from '../../context'
import type { AuditEvent } from '../../storage/audit'
import { nowSeconds } from '../../storage/db'

/** The audit event of a management change made by the calling administrator. */
export function auditEvent(
  c: AppContext,
  action: string,
  target: { type: string; id: string },
  details: Record<string, unknown> = {},
): AuditEvent {
  const actor = c.get('actor')
  return {
    tenantId: c.req.param('tenantId') ?? null,
    actorType: actor.type,
    actorId: actor.id,
    action,
    targetType: target.type,
    targetId: target.id,
    requestId: c.get('requestId'),
    details,
    occurredAt: nowSeconds(),
  }
}
