// Starts the servers under test and guarantees they stop: each runs in its own process group
// (so workerd, started by Miniflare, goes with its parent), and every group is killed on normal
// exit, on an error, on Ctrl-C and on SIGTERM. The servers also watch their parent and exit if
// the bench dies without cleaning up (see servers/*.mjs).
import { spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { READY_PREFIX } from '../servers/lifecycle.mjs'

const STOP_GRACE_MS = 3000
const TAIL_LINES = 40
/** With BENCH_SERVER_LOGS=<dir>, every line a server prints also goes to <dir>/<name>.log. */
const LOG_DIR = process.env.BENCH_SERVER_LOGS

/** Every process group started and not yet stopped, by pid. */
const running = new Map()

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}

// Last resort on any exit path: synchronous, so it also runs from process.exit().
process.on('exit', () => {
  for (const pid of running.keys()) killGroup(pid, 'SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the servers...`)
    stopAll().finally(() => process.exit(130))
  })
}

/** Fails early, with the port's number, when something already listens there. */
export function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', () => reject(new Error(`port ${port} is in use; set --port-base`)))
    probe.listen(port, '127.0.0.1', () => probe.close(resolve))
  })
}

/**
 * Spawns `command` in a new process group and resolves when it prints its ready line
 * (`@@bench-ready {json}`), with that JSON and the child's pid. Rejects, with the last lines of
 * its output, if it exits or takes longer than `timeoutMs`.
 */
export function startServer(name, command, args, { env, timeoutMs = 60_000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const tail = []
    const server = { name, pid: child.pid, child, tail }
    running.set(child.pid, server)
    const fail = (message) => {
      clearTimeout(timer)
      reject(new Error(`${name}: ${message}\n${tail.join('\n')}`))
    }
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs / 1000} s`), timeoutMs)
    const collect = (stream) => {
      let buffered = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk) => {
        buffered += chunk
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) {
          if (line.startsWith(READY_PREFIX)) {
            clearTimeout(timer)
            resolve({ ...server, ...JSON.parse(line.slice(READY_PREFIX.length)) })
            continue
          }
          tail.push(line)
          if (tail.length > TAIL_LINES) tail.shift()
          if (LOG_DIR) appendFileSync(path.join(LOG_DIR, `${name}.log`), `${line}\n`)
        }
      })
    }
    collect(child.stdout)
    collect(child.stderr)
    child.on('error', (error) => fail(error.message))
    child.on('exit', (code, signal) => {
      // Whatever the leader left behind in its group (workerd) goes with it.
      killGroup(child.pid, 'SIGKILL')
      running.delete(child.pid)
      fail(`exited (${signal ?? `code ${code}`})`)
    })
  })
}

/**
 * Stops one server: SIGTERM to the server process, which disposes Miniflare and so stops and
 * reaps its workerd; after a grace period, SIGKILL to the whole group.
 */
export function stopServer(pid) {
  const server = running.get(pid)
  if (server === undefined) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS)
    server.child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // Already gone.
    }
  })
}

export function stopAll() {
  return Promise.allSettled([...running.keys()].map(stopServer))
}
