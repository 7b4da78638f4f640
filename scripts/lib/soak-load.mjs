// Drives the soak's mixed traffic with a bounded pool of agents, and summarises it.
import { Agent, pickOperation, prepareSetup, Recorder } from './soak-traffic.mjs'

/**
 * Runs `connections` agents in parallel for `durationMs`, each sending one request at a time
 * (closed loop), a weighted mix of operations or `only` one. Answers the recorder (requests, latencies, errors by kind).
 */
export async function driveLoad({ url, vars, durationMs, connections, only }) {
  const setup = await prepareSetup(url, vars)
  const recorder = new Recorder()
  const deadline = Date.now() + durationMs
  const agents = Array.from({ length: connections }, () => new Agent(setup, recorder))
  await Promise.all(
    agents.map(async (agent) => {
      while (Date.now() < deadline) {
        try {
          await agent.run(only ?? pickOperation())
        } catch (error) {
          recorder.errors.set(`client: ${error.message}`, {
            count: (recorder.errors.get(`client: ${error.message}`)?.count ?? 0) + 1,
            sample: '',
          })
        }
      }
    }),
  )
  return recorder
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** Requests, rate, percentiles and errors by kind, as plain data. */
export function summariseLoad(recorder, durationMs) {
  const sorted = [...recorder.latenciesMs].sort((a, b) => a - b)
  const round = (value) => Math.round(value * 10) / 10
  const errors = Object.fromEntries([...recorder.errors].sort((a, b) => b[1].count - a[1].count))
  return {
    requests: recorder.requests,
    requestsPerSecond: round(recorder.requests / (durationMs / 1000)),
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    },
    unexpectedErrors: [...recorder.errors.values()].reduce((sum, entry) => sum + entry.count, 0),
    errors,
    succeeded: Object.fromEntries([...recorder.succeeded].sort()),
  }
}
