// One measured run: closed-loop load from autocannon (in this process, so outside the server's
// process tree), per-response latencies kept at full precision, and the server tree's CPU time
// read from /proc just before and just after.
import autocannon from 'autocannon'
import { machineJiffies, stealShare } from './machine-cpu.mjs'
import { TICKS_PER_SECOND, treeCpuMs } from './process-cpu.mjs'
import { LatencyRecorder } from './stats.mjs'

/**
 * Runs `request` against `url` for `seconds` with `connections` keep-alive connections and
 * answers throughput, latency, errors and the server's CPU milliseconds per response. With
 * `bodies` (single-use credentials), sends each body once instead, stopping when they are used up
 * or after `seconds`, and hands each response's status and body to `onBody`.
 */
export function runLoad({ url, request, connections, seconds, serverPid, bodies, onBody }) {
  let next = 0
  let sample
  const pooled =
    bodies === undefined
      ? { duration: seconds }
      : {
          amount: bodies.length,
          requests: [
            {
              method: request.method,
              path: request.path,
              headers: request.headers,
              setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
              onResponse: (status, body) => {
                if (status !== 200) sample ??= `${status} ${String(body).slice(0, 200)}`
                onBody?.(status, body)
              },
            },
          ],
        }
  const latencies = new LatencyRecorder()
  return new Promise((resolve, reject) => {
    const cpuBefore = treeCpuMs(serverPid)
    const selfBefore = process.cpuUsage()
    const machineBefore = machineJiffies()
    const started = process.hrtime.bigint()
    const instance = autocannon(
      {
        url,
        connections,
        ...pooled,
        pipelining: 1,
        method: request.method,
        headers: request.headers,
        body: request.body,
        timeout: 10,
      },
      (error, result) => {
        const cpuMs = treeCpuMs(serverPid) - cpuBefore
        const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9
        const self = process.cpuUsage(selfBefore)
        const machine = machineJiffies()
        if (error) return reject(error)
        const responses =
          result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx']
        resolve({
          connections,
          responses,
          requestsPerSecond: responses / elapsedSeconds,
          latency: latencies.summary(),
          cpuMsPerRequest: responses > 0 ? cpuMs / responses : Number.NaN,
          // A run is only valid when every response was the 200 we measure.
          errors: result.errors + result.timeouts + result.non2xx,
          detail: {
            errors: result.errors,
            timeouts: result.timeouts,
            non2xx: result.non2xx,
            // Which statuses, when any was not a 200 (autocannon counts every status it saw).
            ...(result.non2xx > 0 && { statuses: statusCounts(result.statusCodeStats) }),
            ...(sample && { sample }),
          },
          // Cores kept busy by the server, by the load generator (this process) and by anything
          // else on the machine (other processes: noise), and the hypervisor's steal share.
          cores: {
            server: cpuMs / 1000 / elapsedSeconds,
            loadGenerator: (self.user + self.system) / 1e6 / elapsedSeconds,
            machine: (machine.busy - machineBefore.busy) / TICKS_PER_SECOND / elapsedSeconds,
          },
          steal: stealShare(machineBefore, machine),
        })
      },
    )
    // A pool lasts at most `seconds` too (a slow system leaves credentials unused).
    if (bodies !== undefined) {
      const timer = setTimeout(() => instance.stop(), seconds * 1000)
      instance.on('done', () => clearTimeout(timer))
    }
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      latencies.record(responseTimeMs)
    })
  })
}

/** `{ 200: 3012, 401: 27 }` from autocannon's `statusCodeStats` (`{ 200: { count: 3012 }, ... }`). */
function statusCounts(stats = {}) {
  return Object.fromEntries(Object.entries(stats).map(([status, { count }]) => [status, count]))
}
