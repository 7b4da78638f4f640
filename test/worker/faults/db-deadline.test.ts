import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { Db } from '../../../worker/src/storage/db'
import {
  isTransientD1Failure,
  StorageUnavailableError,
} from '../../../worker/src/storage/unavailable'
import { D1_NETWORK_LOST, Faults, faultyD1 } from './bindings'

function faultyDb(deadlineMs = 50) {
  const faults = new Faults()
  return { faults, db: new Db(faultyD1(env.DB, faults), { deadlineMs }) }
}

describe('Db: one deadline per round trip, unavailability told apart from bugs', () => {
  it('turns a lost connection into StorageUnavailableError, on statements, prepared statements and batches', async () => {
    const { faults, db } = faultyDb()
    faults.d1 = 'reject'
    await expect(db.first('SELECT 1')).rejects.toBeInstanceOf(StorageUnavailableError)
    await expect(db.prepare('SELECT ?1', 1).first()).rejects.toBeInstanceOf(StorageUnavailableError)
    await expect(db.batch([db.prepare('SELECT 1')])).rejects.toBeInstanceOf(StorageUnavailableError)
  })

  it('gives up on a round trip that has not answered by its deadline', async () => {
    const { faults, db } = faultyDb(30)
    faults.d1 = 'stall'
    const error = await db.all('SELECT 1').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StorageUnavailableError)
    expect((error as Error).message).toContain('30 ms')
  })

  it('leaves SQL errors and constraint violations as they are: they are bugs or conflicts', async () => {
    const { db } = faultyDb()
    const missing = await db.first('SELECT * FROM no_such_table').catch((caught: unknown) => caught)
    expect(missing).toBeInstanceOf(Error)
    expect(missing).not.toBeInstanceOf(StorageUnavailableError)
    const duplicate = await db
      .batch([
        db.prepare('SELECT 1'),
        db.prepare("INSERT INTO principals (id, kind) VALUES (NULL, 'x')"),
      ])
      .catch((caught: unknown) => caught)
    expect(duplicate).toBeInstanceOf(Error)
    expect(duplicate).not.toBeInstanceOf(StorageUnavailableError)
  })

  it('answers as before once D1 answers again, and its statements still run in a real batch', async () => {
    const { faults, db } = faultyDb()
    faults.d1 = 'reject'
    await expect(db.first('SELECT 1 AS one')).rejects.toBeInstanceOf(StorageUnavailableError)
    faults.heal()
    expect(await db.first<{ one: number }>('SELECT 1 AS one')).toEqual({ one: 1 })
    const [result] = await db.batch<{ two: number }>([db.prepare('SELECT ?1 AS two', 2)])
    expect(result?.results).toEqual([{ two: 2 }])
  })

  it("classifies D1's transient messages as unavailable and SQLite's as not", () => {
    for (const message of [
      D1_NETWORK_LOST,
      'D1 DB is overloaded. Too many requests queued.',
      'D1 DB storage operation exceeded timeout which caused object to be reset.',
      'D1_ERROR: Cannot resolve D1 DB due to transient issue on remote node.',
    ]) {
      expect(isTransientD1Failure(new Error(message)), message).toBe(true)
    }
    for (const message of [
      'D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT',
      'D1_ERROR: no such table: nope: SQLITE_ERROR',
      'D1_TYPE_ERROR: Type object is not supported for value',
    ]) {
      expect(isTransientD1Failure(new Error(message)), message).toBe(false)
    }
  })
})
