import type { AppContext } from '../../context'
import type { Deps } from '../../deps'
import { type ProblemError, problems } from '../../errors'
import type { AuditEvent } from '../../storage/audit'
import { findUnknownRoleIds } from '../../storage/roles'

// The skeleton every management handler shares, written once: find the resource (404), check
// the role ids it assigns (400), write the change with its audit line in one transaction, and
// turn the write's refusal into a problem (404, 409).

/** Who is changing which tenant, read from the request once by the route. */
export interface Administrator {
  readonly deps: Pick<Deps, 'config' | 'db' | 'replica' | 'now' | 'requestId'>
  readonly tenantId: string
  readonly actor: { readonly type: 'user' | 'client'; readonly id: string }
}

/** The calling administrator of a route under /tenants/{tenantId} (set by requireAdministrator). */
export function administrator(c: AppContext, tenantId: string): Administrator {
  return { deps: c.get('deps'), tenantId, actor: c.get('actor') }
}

/** What a change did to which resource; the details never carry a secret. */
export interface AuditLine {
  /** `<resource>.<verb>`, for example `client.created`. */
  action: string
  target: { type: string; id: string }
  details?: Record<string, unknown>
}

/** The audit event of a change made by the calling administrator. */
export function auditEvent(admin: Administrator, line: AuditLine): AuditEvent {
  return {
    tenantId: admin.tenantId,
    actorType: admin.actor.type,
    actorId: admin.actor.id,
    action: line.action,
    targetType: line.target.type,
    targetId: line.target.id,
    requestId: admin.deps.requestId,
    details: line.details ?? {},
    occurredAt: admin.deps.now(),
  }
}

/** The resource a storage read found; `notFound` is the problem when there is none (404). */
export function found<T>(resource: T | null, notFound: () => ProblemError): T {
  if (resource === null) throw notFound()
  return resource
}

/** Refuses a PUT body whose `id` is not the path's (a body read back from a GET carries it). */
export function checkBodyId(bodyId: string | undefined, pathId: string, resource: string): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw problems.validation([
      { pointer: '#/id', detail: `Must equal the ${resource} id of the URL` },
    ])
  }
}

/** Refuses role ids the tenant does not have, one field error per unknown id. */
async function checkRoleIds(admin: Administrator, roleIds: readonly string[]): Promise<void> {
  const unknown = await findUnknownRoleIds(admin.deps.db, admin.tenantId, roleIds)
  if (unknown.length > 0) {
    throw problems.validation(
      unknown.map((id) => ({
        pointer: `#/roleIds/${roleIds.indexOf(id)}`,
        detail: `Unknown role ${id}`,
      })),
    )
  }
}

/** A management write: what storage does, and the problem for each way it can refuse. */
export interface Change<Outcome extends string> {
  /** Role ids the change assigns; each must be a role of the tenant (400 otherwise). */
  roleIds?: readonly string[]
  audit: AuditLine
  /** The storage write, with the audit event to record in the same transaction. */
  write: (audit: AuditEvent) => Promise<Outcome>
  /** One problem per refusal the write can answer (`not-found`, `duplicate-name`, ...). */
  refusals: { [K in Exclude<Outcome, 'written'>]: () => ProblemError }
}

/** Checks, audits and writes one change; throws the problem of a refused write. */
export async function applyChange<Outcome extends string>(
  admin: Administrator,
  change: Change<Outcome>,
): Promise<void> {
  if (change.roleIds !== undefined) await checkRoleIds(admin, change.roleIds)
  const outcome = await change.write(auditEvent(admin, change.audit))
  if (outcome !== 'written') throw change.refusals[outcome as Exclude<Outcome, 'written'>]()
}
