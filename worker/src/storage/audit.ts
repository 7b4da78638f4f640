import { type Db, isUniqueViolation } from './db'

/** Who did what, when. Never carries a secret value, a token or a password. */
export interface AuditEvent {
  tenantId: string | null
  actorType: 'user' | 'client' | 'operator' | 'system'
  actorId: string | null
  /** `<resource>.<verb>`, for example `client.created`, `client_secret.deleted`. */
  action: string
  targetType?: string
  targetId?: string
  requestId?: string
  details?: Record<string, unknown>
  occurredAt: number
}

/**
 * The audit insert for `event`, to run in the same batch (transaction) as the change it records,
 * so a change and its audit line are written together or not at all. `onlyIf` is an SQL
 * condition for changes that are themselves conditional; its binds start at ?10.
 */
export function auditStatement(
  db: Db,
  event: AuditEvent,
  onlyIf: { sql: string; binds: unknown[] } = { sql: '1', binds: [] },
): D1PreparedStatement {
  return db.prepare(
    `INSERT INTO audit_events (tenant_id, occurred_at, actor_type, actor_id, action, target_type,
       target_id, request_id, details)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE ${onlyIf.sql}`,
    event.tenantId,
    event.occurredAt,
    event.actorType,
    event.actorId,
    event.action,
    event.targetType ?? null,
    event.targetId ?? null,
    event.requestId ?? null,
    JSON.stringify(event.details ?? {}),
    ...onlyIf.binds,
  )
}

/**
 * The audit insert for a change made by the statement just before it in the same batch: it is
 * written only when that statement changed exactly one row (SQLite `changes()`). Nothing when
 * there is no event to record.
 */
export function auditIfChanged(db: Db, event: AuditEvent | undefined): D1PreparedStatement[] {
  return event === undefined ? [] : [auditStatement(db, event, { sql: 'changes() = 1', binds: [] })]
}

/**
 * Runs one change of one row with its audit event, in one batch (a D1 transaction): `written`
 * when the statement changed the row, `not-found` when it matched none, and `duplicate` (when
 * given) when it broke a UNIQUE constraint.
 */
export async function writeAudited<Duplicate extends string = never>(
  db: Db,
  change: D1PreparedStatement,
  audit: AuditEvent | undefined,
  duplicate?: Duplicate,
): Promise<'written' | 'not-found' | Duplicate> {
  try {
    const [result] = await db.batch([change, ...auditIfChanged(db, audit)])
    return (result?.meta.changes ?? 0) > 0 ? 'written' : 'not-found'
  } catch (error) {
    if (duplicate !== undefined && isUniqueViolation(error)) return duplicate
    throw error
  }
}

export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await db.batch([auditStatement(db, event)])
}

export interface AuditRecord extends AuditEvent {
  id: number
  details: Record<string, unknown>
}

interface AuditRow {
  id: number
  tenant_id: string | null
  occurred_at: number
  actor_type: AuditEvent['actorType']
  actor_id: string | null
  action: string
  target_type: string | null
  target_id: string | null
  request_id: string | null
  details: string
}

const rowToAuditRecord = (row: AuditRow): AuditRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  occurredAt: row.occurred_at,
  actorType: row.actor_type,
  actorId: row.actor_id,
  action: row.action,
  ...(row.target_type !== null && { targetType: row.target_type }),
  ...(row.target_id !== null && { targetId: row.target_id }),
  ...(row.request_id !== null && { requestId: row.request_id }),
  details: JSON.parse(row.details) as Record<string, unknown>,
})

/** Which events a listing keeps: all of them, or one action, one target, a time range. */
export interface AuditFilter {
  action?: string
  targetId?: string
  /** Epoch seconds, inclusive. */
  since?: number
  /** Epoch seconds, exclusive. */
  until?: number
}

/** One page of a tenant's audit events, newest first, and how many there are. */
export async function listAuditEvents(
  db: Db,
  tenantId: string,
  page: { skip: number; count: number },
  filter: AuditFilter = {},
): Promise<{ items: AuditRecord[]; total: number }> {
  // Each filter is on or off through its own bind (NULL is off), so the SQL text is fixed.
  const where = `tenant_id = ?1 AND (?4 IS NULL OR action = ?4) AND (?5 IS NULL OR target_id = ?5)
     AND (?6 IS NULL OR occurred_at >= ?6) AND (?7 IS NULL OR occurred_at < ?7)`
  const binds = [
    filter.action ?? null,
    filter.targetId ?? null,
    filter.since ?? null,
    filter.until ?? null,
  ]
  const [rows, total] = await db.batch([
    db.prepare(
      `SELECT * FROM audit_events WHERE ${where}
       ORDER BY occurred_at DESC, id DESC LIMIT ?2 OFFSET ?3`,
      tenantId,
      page.count,
      page.skip,
      ...binds,
    ),
    db.prepare(
      `SELECT COUNT(*) AS total FROM audit_events WHERE ${where}`,
      tenantId,
      null,
      null,
      ...binds,
    ),
  ])
  const items = ((rows?.results ?? []) as AuditRow[]).map(rowToAuditRecord)
  return { items, total: ((total?.results[0] ?? { total: 0 }) as { total: number }).total }
}
