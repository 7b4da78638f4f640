import { env } from 'cloudflare:workers'
import type { Answer } from './harness'
import { isRejected } from './invariants'

/**
 * Tables a rejected request may legitimately add rows to. Everything else must keep its row
 * count when the server refuses a request.
 */
export const RECORDS_FAILURES: ReadonlySet<string> = new Set([
  // Failed client authentications and sign-ins are counted per key (client or account, and
  // address) so repeated failures lock out and raise the alert (checklist D08, sign-in limits):
  // counting a refusal is the point of the table.
  'auth_failures',
  // The 20th failed client authentication is audited for the tenant's administrators
  // (`client.auth_failures`, D08): an audit of a refused request, written by the refusal.
  'audit_events',
  // A DPoP proof's jti is spent once the proof checks out, even when the request then fails
  // (RFC 9449 §11.1): a proof is single use, whatever became of the request that carried it.
  'dpop_proofs',
])

/** The row count of every table of the schema, read from sqlite_master. */
export type RowCounts = Record<string, number>

let query: string | undefined

async function countQuery(): Promise<string> {
  if (query !== undefined) return query
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table'
     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'
     ORDER BY name`,
  ).all<{ name: string }>()
  if (results.length === 0) throw new Error('no tables: were the migrations applied?')
  // One statement, one round trip: a count per table as one row.
  query = `SELECT ${results.map(({ name }) => `(SELECT COUNT(*) FROM "${name}") AS "${name}"`).join(', ')}`
  return query
}

export async function rowCounts(): Promise<RowCounts> {
  const row = await env.DB.prepare(await countQuery()).first<RowCounts>()
  if (row === null) throw new Error('row count query answered nothing')
  return row
}

/** The tables outside RECORDS_FAILURES whose row count differs, as `table: before -> after`. */
export function changedTables(before: RowCounts, after: RowCounts): string[] {
  return Object.keys(after)
    .filter((table) => !RECORDS_FAILURES.has(table) && before[table] !== after[table])
    .map((table) => `${table}: ${before[table]} -> ${after[table]}`)
}

/** D1 statements the request ran, from the worker's `Server-Timing` (tests and development). */
function roundTrips(answer: Answer): number | undefined {
  const match = /d1;desc="(\d+) round trips"/.exec(answer.headers.get('Server-Timing') ?? '')
  return match === null ? undefined : Number(match[1])
}

/**
 * Row counts kept across the cases of a property, so most cases cost one count query or none:
 * the counts after one request are the counts before the next, and a request that ran no D1
 * statement at all (every D1 access goes through the counting `Db` of request-context.ts) cannot
 * have written. Call `invalidate()` after any setup write.
 */
export class RowCountTracker {
  private last: RowCounts | undefined

  invalidate(): void {
    this.last = undefined
  }

  /** Before the request: make sure the counts are current. */
  async before(): Promise<void> {
    this.last ??= await rowCounts()
  }

  /** After the request: the tables a rejected request changed (empty when none). */
  async after(answer: Answer): Promise<string[]> {
    if (roundTrips(answer) === 0) return []
    if (!isRejected(answer)) {
      this.last = undefined
      return []
    }
    const before = this.last ?? (await rowCounts())
    this.last = await rowCounts()
    return changedTables(before, this.last)
  }
}
