import { env } from 'cloudflare:workers'
import { createApp, createServices } from '../../../worker/src/app'
import type { Services } from '../../../worker/src/context'
import { testConfig } from '../helpers/worker'

/** How a wrapped binding misbehaves: answers normally, rejects, or never answers. */
export type Fault = 'none' | 'reject' | 'stall'

/** What D1 reports when its network path drops (Cloudflare's D1 error list). */
export const D1_NETWORK_LOST = 'D1_ERROR: Network connection lost.'

/** The faults of one wrapped environment, switched by the test between requests. */
export class Faults {
  /** Every D1 round trip (statements and batches). */
  d1: Fault = 'none'
  /** D1 batches only (transactions), while single statements answer. */
  d1Batch: Fault = 'none'
  kv: Fault = 'none'
  /** Round trips that reached the real D1, and batches the wrapper refused. */
  d1Calls = 0
  refusedBatches = 0

  heal(): void {
    this.d1 = 'none'
    this.d1Batch = 'none'
    this.kv = 'none'
  }
}

/** Resolves when the fault is 'none'; rejects like a lost connection, or never settles. */
function gate(fault: Fault, message: string): Promise<void> {
  if (fault === 'reject') return Promise.reject(new Error(message))
  if (fault === 'stall') return new Promise(() => {})
  return Promise.resolve()
}

/**
 * A D1 binding whose statements and batches pass through `faults` first. Statements stay D1's
 * own objects (their round-trip methods replaced), so the real `batch` accepts them.
 */
export function faultyD1(real: D1Database, faults: Faults): D1Database {
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    for (const method of ['first', 'all', 'run', 'raw'] as const) {
      const original = statement[method] as (...args: unknown[]) => Promise<unknown>
      Object.defineProperty(statement, method, {
        configurable: true,
        value: async (...args: unknown[]) => {
          await gate(faults.d1, D1_NETWORK_LOST)
          faults.d1Calls++
          return original.apply(statement, args)
        },
      })
    }
    const bind = statement.bind
    Object.defineProperty(statement, 'bind', {
      configurable: true,
      value: (...values: unknown[]) => wrap(bind.apply(statement, values)),
    })
    return statement
  }
  const faulty = {
    prepare: (sql: string) => wrap(real.prepare(sql)),
    batch: async <T>(statements: D1PreparedStatement[]) => {
      try {
        await gate(faults.d1, D1_NETWORK_LOST)
        await gate(faults.d1Batch, D1_NETWORK_LOST)
      } catch (error) {
        faults.refusedBatches++
        throw error
      }
      faults.d1Calls++
      return real.batch<T>(statements)
    },
    exec: async (sql: string) => {
      await gate(faults.d1, D1_NETWORK_LOST)
      return real.exec(sql)
    },
    dump: () => real.dump(),
    // The worker reads through D1 sessions (primary and replica): they fail the same way.
    withSession: () => ({ prepare: faulty.prepare, batch: faulty.batch, getBookmark: () => null }),
  } as D1Database
  return faulty
}

/** A KV binding whose reads and writes pass through `faults.kv` first. */
export function faultyKv(real: KVNamespace, faults: Faults): KVNamespace {
  return new Proxy(real, {
    get(target, property) {
      const value = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        await gate(faults.kv, 'KV GET failed: 503 Service Unavailable')
        return value.apply(target, args)
      }
    },
  })
}

/**
 * A fresh app (its own isolate-lived services: keyring, caches) over the test bindings with D1
 * and KV wrapped, and the switch of their faults. Same database as the entry point's worker.
 */
export function faultyApp(): {
  faults: Faults
  services: Services
  request: (path: string, init?: RequestInit) => Promise<Response>
} {
  const faults = new Faults()
  const config = testConfig()
  const services = createServices(config)
  const app = createApp(config, services)
  const wrapped = { ...env, DB: faultyD1(env.DB, faults), CACHE: faultyKv(env.CACHE, faults) }
  return {
    faults,
    services,
    request: async (path, init) => app.request(new URL(path, config.issuer).href, init, wrapped),
  }
}
