import { isTransientD1Failure, StorageUnavailableError, withDeadline } from './unavailable'

/** How long one round trip to D1 may take before the request gives up on it (answering 503). */
export const D1_DEADLINE_MS = 5000

export interface DbOptions {
  /** The deadline of each round trip, in milliseconds (default `D1_DEADLINE_MS`). */
  deadlineMs?: number
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

  constructor(
    readonly d1: D1Database,
    options: DbOptions = {},
  ) {
    this.#deadlineMs = options.deadlineMs ?? D1_DEADLINE_MS
  }

  /** Round trips to D1 made through this instance so far. */
  get roundTrips(): number {
    return this.#roundTrips
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
    const prepared = this.d1.prepare(sql)
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
    return this.#guard('batch', () => this.d1.batch<T>(statements))
  }

  /**
   * Runs one round trip against the deadline, and names unavailability as such. A round trip
   * abandoned at its deadline may still complete in D1 later; a batch stays atomic either way.
   */
  async #guard<T>(operation: string, roundTrip: () => Promise<T>): Promise<T> {
    const ms = this.#deadlineMs
    try {
      return await withDeadline(
        roundTrip(),
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

/** Unix time in seconds, the unit of every time column. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** True when a D1 error is a UNIQUE or PRIMARY KEY violation. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed|PRIMARY KEY/.test(error.message)
}
