// Open-loop load at a fixed rate, for tail latency without coordinated omission: each request has
// an intended send time (start + i / rate) and its latency is measured from that time, not from
// when a connection became free, so a server pause counts against every request it delayed.
// Node's http client with a keep-alive pool of `connections` sockets; requests wait for a free
// socket in the pool (that wait counts too).
import http from 'node:http'
import { treeCpuMs } from './process-cpu.mjs'
import { LatencyRecorder } from './stats.mjs'

/** Sends `rate` requests a second for `seconds`; answers latency from intended time and CPU. */
export function runPaced({ url, request, rate, seconds, connections, serverPid }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const target = new URL(request.path, url)
  const total = Math.max(1, Math.round(rate * seconds))
  const latencies = new LatencyRecorder()
  let errors = 0
  let done = 0
  let sent = 0
  const cpuBefore = treeCpuMs(serverPid)
  const start = performance.now()
  return new Promise((resolve) => {
    const finish = () => {
      const elapsed = (performance.now() - start) / 1000
      const cpuMs = treeCpuMs(serverPid) - cpuBefore
      agent.destroy()
      resolve({
        rate,
        responses: done,
        requestsPerSecond: done / elapsed,
        latency: latencies.summary(),
        cpuMsPerRequest: cpuMs / done,
        errors,
      })
    }
    const send = (intended) => {
      const req = http.request(
        target,
        { method: request.method, headers: request.headers, agent },
        (res) => {
          res.resume()
          res.on('end', () => {
            latencies.record(performance.now() - intended)
            if (res.statusCode !== 200) errors++
            if (++done === total) finish()
          })
        },
      )
      req.on('error', () => {
        errors++
        if (++done === total) finish()
      })
      req.end(request.body)
    }
    const tick = () => {
      const now = performance.now()
      while (sent < total && start + (sent * 1000) / rate <= now) {
        send(start + (sent * 1000) / rate)
        sent++
      }
      if (sent < total) setTimeout(tick, 1)
    }
    tick()
  })
}
