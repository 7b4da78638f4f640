import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { inject } from 'vitest'
import worker from '../../../worker/src/index'
import { ISSUER } from '../helpers/worker'
import { expectNo5xx, expectNoReflectedScript } from './invariants'
import type { RowCountTracker } from './row-counts'

/**
 * Cases of the whole fuzz suite per run: `FUZZ_RUNS` (set by `npm run fuzz -- --runs N`),
 * passed from Node through the vitest config's `provide`. Each property takes a share of it.
 */
export const TOTAL_RUNS = inject('fuzzRuns')

/** A fixed seed replays a failing run (`FUZZ_SEED`, printed with every failure). */
const SEED = inject('fuzzSeed')

/** The line the summary reporter adds up: `fuzz-cases <property> <cases> <failures>`. */
export const COUNT_LINE = 'fuzz-cases'

/**
 * Each property's share of the suite's cases (they add up to 1): more for the endpoints with
 * the most parameters and paths (authorize, token, management API).
 */
export const SHARES = {
  authorize: 0.2,
  'authorize-one-hostile': 0.03,
  token: 0.14,
  'token-one-change': 0.03,
  dpop: 0.03,
  revoke: 0.07,
  introspect: 0.07,
  userinfo: 0.08,
  'sign-in': 0.07,
  account: 0.06,
  'end-session': 0.06,
  management: 0.15,
  'management-docs': 0.01,
} as const

export type PropertyName = keyof typeof SHARES

/** A property's cases in this run, at least one. */
export function runsFor(name: PropertyName): number {
  return Math.max(1, Math.round(TOTAL_RUNS * SHARES[name]))
}

/**
 * Sends a request to the worker's entry point (worker/src/index.ts) in this isolate. Not through
 * `exports.default.fetch`: under vitest-pool-workers that loopback gets slower with every request
 * (cloudflare/workers-sdk#15446: 4 ms per request at first, 60 ms after 500), which thousands of
 * cases cannot afford. The app, its services and its bindings are the same.
 */
export async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const request = new Request(new URL(path, ISSUER), { ...init, redirect: 'manual' })
  const response = await worker.fetch(request as never, env as never, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

/** A response with its body read once, so every check can look at it. */
export interface Answer {
  method: string
  status: number
  headers: Headers
  body: string
}

export async function answer(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await send(path, init)
  return {
    method: init.method ?? 'GET',
    status: response.status,
    headers: response.headers,
    body: await response.text(),
  }
}

/** Statuses answered during the current property, to show what the cases reached. */
const statuses = new Map<number, number>()

/**
 * Runs a property for its share of the suite's cases, prints the count line the summary reporter
 * adds up (and the statuses the cases reached), and fails the test with fast-check's report:
 * the seed, the shrunk counterexample and its error.
 */
export async function checkProperty<T>(
  name: PropertyName,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
): Promise<void> {
  statuses.clear()
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    numRuns: runsFor(name),
    ...(SEED !== undefined && { seed: SEED }),
    includeErrorInReport: true,
  })
  const seen = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}:${n}`)
  console.log(`${COUNT_LINE} ${name} ${details.numRuns} ${details.failed ? 1 : 0}`)
  console.log(`fuzz-statuses ${name} ${seen.join(' ')}`)
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `${name} failed`)
}

/**
 * One fuzz request with the checks every endpoint shares: never a 5xx, never a reflected script,
 * and a rejected request leaves every table's row count as it was (row-counts.ts).
 */
export async function exercise(
  rows: RowCountTracker,
  path: string,
  init: RequestInit = {},
): Promise<Answer> {
  await rows.before()
  const result = await answer(path, init)
  statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1)
  expectNo5xx(result)
  expectNoReflectedScript(result)
  const changed = await rows.after(result)
  if (changed.length > 0) {
    throw new Error(`a refused request (${result.status}) changed ${changed.join(', ')}`)
  }
  return result
}

/** A fuzz test may run long under `npm run fuzz -- --runs 100000`. */
export const FUZZ_TIMEOUT = 60 * 60 * 1000
