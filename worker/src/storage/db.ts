/**
 * The one door to D1. Every statement goes through a `Db`, which counts round trips so tests
 * and the `Server-Timing` header can show what a request cost (a batch is one round trip).
 * Query functions in this folder take a `Db` and return typed rows mapped by `rowToX`.
 */
export class Db {
  #roundTrips = 0

  constructor(readonly d1: D1Database) {}

  /** Round trips to D1 made through this instance so far. */
  get roundTrips(): number {
    return this.#roundTrips
  }

  /** Counts a round trip made by running a prepared statement directly. */
  countRoundTrip(): void {
    this.#roundTrips++
  }

  prepare(sql: string, ...binds: unknown[]): D1PreparedStatement {
    const statement = this.d1.prepare(sql)
    return binds.length === 0 ? statement : statement.bind(...binds)
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

  /** Runs the statements in one transaction and one round trip (D1 batch). */
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
    this.#roundTrips++
    return this.d1.batch<T>(statements)
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
