import { isTransientD1Failure, StorageUnavailableError, withDeadline } from './unavailable'

/** How long one round trip to D1 may take before the request gives up on it (answering 503). */
export const D1_DEADLINE_MS = 5000

/**
 * Where a `Db` sends its round trips. `primary`: D1's primary, every round trip (what a plain
 * binding does), for anything that must see the latest write. `replica`: one D1 session
 * (Sessions API) that may be served by a nearby read replica, sequentially consistent within the
 * request and at least as fresh as the bookmark it was anchored at.
 * @see {@link https://developers.cloudflare.com/d1/best-practices/read-replication/ D1 read replication}
 */
export type DbRole = 'primary' | 'replica'

export interface DbOptions {
  /** The deadline of each round trip, in milliseconds (default `D1_DEADLINE_MS`). */
  deadlineMs?: number
  /** Default `primary`. */
  role?: DbRole
  /**
   * A `replica`'s anchor: a bookmark a client carried back (read-your-writes), else
   * `first-unconstrained` (any replica).
   */
  bookmark?: string | undefined
  /**
   * Waits this long before each round trip: the latency model of `npm run bench -- --topology`
   * (a database far away). Set only from the test-only `D1_LATENCY_MODEL` binding, never in
   * production (middleware/request-context.ts).
   */
  simulatedLatencyMs?: number
}

/** The methods of a prepared statement that make a round trip. */
const ROUND_TRIP_METHODS = ['first', 'all', 'run', 'raw'] as const

/**
 * The one door to D1. Every statement goes through a `Db`, which counts round trips so tests
 * and the `Server-Timing` header can show what a request cost (a batch is one round trip), and
 * gives each round trip a deadline: a failure that means D1 cannot answer now (network,
 * overload, reset) or a round trip slower than the deadline becomes a `StorageUnavailableError`
 * (503 temporarily_unavailable, Retry-After). SQL errors and constraint violations pass
 * unchanged: they are bugs or conflicts, not unavailability.
 * Query functions in this folder take a `Db` and return typed rows mapped by `rowToX`.
 */
export class Db {
  #roundTrips = 0
  readonly #deadlineMs: number
  readonly #latencyMs: number
  readonly #anchor: string
  /** The sessions this instance opened, whose bookmarks `bookmark()` reads. */
  readonly #sessions: D1DatabaseSession[] = []
  readonly role: DbRole

  constructor(
    readonly d1: D1Database,
    options: DbOptions = {},
  ) {
    this.#deadlineMs = options.deadlineMs ?? D1_DEADLINE_MS
    this.#latencyMs = options.simulatedLatencyMs ?? 0
    this.role = options.role ?? 'primary'
    this.#anchor = options.bookmark ?? 'first-unconstrained'
  }

  /** Round trips to D1 made through this instance so far. */
  get roundTrips(): number {
    return this.#roundTrips
  }

  /**
   * The latest D1 bookmark this instance saw (after its writes too), or null before any round
   * trip: handed to a client so that its next request reads at least this state.
   */
  bookmark(): string | null {
    let latest: string | null = null
    for (const session of this.#sessions) {
      const bookmark = session.getBookmark()
      if (bookmark !== null && (latest === null || bookmark > latest)) latest = bookmark
    }
    return latest
  }

  /**
   * What the next round trip goes through. The primary opens a fresh `first-primary` session for
   * each one: that session's first (and only) query is served by the primary, exactly as a plain
   * binding's, and it also reports the bookmark. A later query of a `first-primary` session may be
   * served by a replica, which a revocation check must never be. The replica uses one session per
   * request. A stand-in binding without sessions (tests) is used as it is.
   */
  #target(): D1Database | D1DatabaseSession {
    if (typeof this.d1.withSession !== 'function') return this.d1
    if (this.role === 'replica') {
      this.#sessions[0] ??= this.d1.withSession(this.#anchor)
      return this.#sessions[0]
    }
    const session = this.d1.withSession('first-primary')
    this.#sessions.push(session)
    return session
  }

  /** Counts a round trip made by running a prepared statement directly. */
  countRoundTrip(): void {
    this.#roundTrips++
  }

  /**
   * A bound statement, for a batch or to run directly: its `first`, `all`, `run` and `raw` keep
   * the deadline and the unavailability mapping (the statement itself is D1's, so a batch
   * accepts it).
   */
  prepare(sql: string, ...binds: unknown[]): D1PreparedStatement {
    const prepared = this.#target().prepare(sql)
    const statement = binds.length === 0 ? prepared : prepared.bind(...binds)
    for (const method of ROUND_TRIP_METHODS) {
      const original = statement[method] as (...args: unknown[]) => Promise<unknown>
      Object.defineProperty(statement, method, {
        configurable: true,
        value: (...args: unknown[]) => this.#guard(method, () => original.apply(statement, args)),
      })
    }
    return statement
  }

  first<T>(sql: string, ...binds: unknown[]): Promise<T | null> {
    this.#roundTrips++
    return this.prepare(sql, ...binds).first<T>()
  }

  async all<T>(sql: string, ...binds: unknown[]): Promise<T[]> {
    this.#roundTrips++
    return (await this.prepare(sql, ...binds).all<T>()).results
  }

  /** Runs a write; answers how many rows it changed. */
  async run(sql: string, ...binds: unknown[]): Promise<number> {
    this.#roundTrips++
    return (await this.prepare(sql, ...binds).run()).meta.changes
  }

  /**
   * Runs the statements in one transaction and one round trip (D1 batch): all of them happen or
   * none does, so a batch that fails leaves nothing half-written.
   */
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    this.#roundTrips++
    const target = this.#target()
    return this.#guard('batch', () => target.batch<T>(statements))
  }

  /**
   * Runs one round trip against the deadline, and names unavailability as such. A round trip
   * abandoned at its deadline may still complete in D1 later; a batch stays atomic either way.
   */
  async #guard<T>(operation: string, roundTrip: () => Promise<T>): Promise<T> {
    const ms = this.#deadlineMs
    const latencyMs = this.#latencyMs
    try {
      return await withDeadline(
        latencyMs === 0 ? roundTrip() : sleep(latencyMs).then(roundTrip),
        ms,
        () => new StorageUnavailableError(`D1 ${operation} took longer than ${ms} ms`),
      )
    } catch (error) {
      if (!(error instanceof StorageUnavailableError) && isTransientD1Failure(error)) {
        throw new StorageUnavailableError(`D1 ${operation} failed`, { cause: error })
      }
      throw error
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Unix time in seconds, the unit of every time column. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** True when a D1 error is a UNIQUE or PRIMARY KEY violation. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed|PRIMARY KEY/.test(error.message)
}
