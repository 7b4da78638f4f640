import type { Environment } from '../config'
import type { Db } from './db'

/**
 * The header that carries a D1 session bookmark: the management API answers with the latest
 * bookmark of the request (after its writes), and a client that sends it back reads at least that
 * state on its next request, even from a replica (read-your-writes).
 * @see {@link https://developers.cloudflare.com/d1/best-practices/read-replication/ D1 read replication}
 */
export const CONSISTENCY_BOOKMARK_HEADER = 'Consistency-Bookmark'

/** D1 bookmarks are hex groups joined by dashes; anything else is ignored, never sent to D1. */
const BOOKMARK = /^[0-9a-f]{1,64}(?:-[0-9a-f]{1,64}){0,7}$/i

/** A bookmark a request carried, when it looks like one (else the replica reads unconstrained). */
export function readBookmark(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed !== undefined && BOOKMARK.test(trimmed) ? trimmed : undefined
}

/** The newest bookmark the request's round trips saw (bookmarks sort oldest to newest). */
export function latestBookmark(...dbs: readonly Db[]): string | null {
  let latest: string | null = null
  for (const db of dbs) {
    const bookmark = db.bookmark()
    if (bookmark !== null && (latest === null || bookmark > latest)) latest = bookmark
  }
  return latest
}

/** Milliseconds waited before each round trip, per `Db` role (the topology bench). */
export interface LatencyModel {
  readonly primary: number
  readonly replica: number
}

/**
 * The test-only `D1_LATENCY_MODEL` binding (`primary=150,replica=5`, milliseconds per round
 * trip), which `npm run bench -- --topology` sets to model a user far from the primary. Ignored in
 * production, and when malformed.
 */
export function readLatencyModel(
  value: string | undefined,
  environment: Environment,
): LatencyModel | undefined {
  if (value === undefined || environment === 'production') return undefined
  const match = /^primary=(\d{1,4}),replica=(\d{1,4})$/.exec(value.trim())
  if (match === null) return undefined
  return { primary: Number(match[1]), replica: Number(match[2]) }
}
