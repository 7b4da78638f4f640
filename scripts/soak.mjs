#!/usr/bin/env node
// `npm run soak`: 60 s of mixed traffic at 50 connections against `npm start`'s runtime
// (started here in its own process group with a fresh local D1/KV, unless --url names a running
// server), sampling the resident memory of the stack's processes every second; then a report,
// also written to .tmp/soak.json.
//
//   npm run soak -- [--duration 60] [--connections 50] [--idle 15] [--url http://localhost:8787]
//   npm run soak -- --only jwks  one operation of the mix (see MIX in lib/soak-traffic.mjs)
//   npm run soak -- --inspect   the worker alone in plain Miniflare with its DevTools port open:
//                               the isolate's heap (after GC) beside the RSS
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ensureDevVars, ROOT } from './lib/project.mjs'
import { connectInspector, isolateHeapMb, startInspectableWorker } from './lib/soak-isolate.mjs'
import { driveLoad, summariseLoad } from './lib/soak-load.mjs'
import { analyseMemory, sampleMemory } from './lib/soak-memory.mjs'

const INSPECTOR_PORT = 9239

const { values: options } = parseArgs({
  options: {
    url: { type: 'string' },
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '50' },
    idle: { type: 'string', default: '15' },
    out: { type: 'string', default: path.join(ROOT, '.tmp/soak.json') },
    inspect: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
})
const durationMs = Number(options.duration) * 1000
const connections = Number(options.connections)
const idleMs = Number(options.idle) * 1000
const url = options.url ?? 'http://localhost:8787'
const port = Number(new URL(url).port || 80)
const vars = ensureDevVars()

const stack =
  options.url !== undefined
    ? undefined
    : options.inspect
      ? await startIsolate()
      : await startStack()
process.on('SIGINT', () => stopStack().then(() => process.exit(130)))
let report
try {
  const inspector = options.inspect
    ? await connectInspector(INSPECTOR_PORT, `${url}/.well-known/openid-configuration`)
    : undefined
  const heap = {}
  const memory = sampleMemory(port, {
    listenerRole: options.inspect ? 'worker' : 'dev-proxy',
    heap: inspector && (() => isolateHeapMb(inspector)),
  })
  await sleep(3000) // a baseline before the load
  if (inspector) heap.beforeLoadAfterGc = await isolateHeapMb(inspector, true)
  const loadFrom = memory.mark()
  const started = Date.now()
  const recorder = await driveLoad({ url, vars, durationMs, connections, only: options.only })
  const elapsedMs = Date.now() - started
  const loadTo = memory.mark()
  if (inspector) heap.endOfLoadAfterGc = await isolateHeapMb(inspector, true)
  await sleep(idleMs) // does memory come back when the load stops?
  memory.stop()
  if (inspector) {
    heap.afterIdleAfterGc = await isolateHeapMb(inspector, true)
    inspector.close()
  }
  report = {
    mode: options.inspect ? 'plain Miniflare, inspector attached' : 'npm start',
    isolateHeap: inspector ? heap : undefined,
    at: new Date().toISOString(),
    url,
    durationS: elapsedMs / 1000,
    connections,
    only: options.only,
    load: summariseLoad(recorder, elapsedMs),
    memory: analyseMemory(memory.samples, loadFrom, loadTo),
    processes: memory.processes(),
    samples: memory.samples,
    stackOutput: stack?.output().slice(-4000),
  }
  printReport(report)
  mkdirSync(path.dirname(options.out), { recursive: true })
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`)
  console.log(`\nWritten to ${path.relative(ROOT, options.out)}`)
} finally {
  await stopStack()
}
process.exit(report?.load.unexpectedErrors === 0 ? 0 : 1)

function printReport(r) {
  const { load } = r
  console.log(
    `\nSoak: ${r.durationS.toFixed(1)} s at ${r.connections} connections against ${r.url}`,
  )
  console.log(`  requests       ${load.requests} (${load.requestsPerSecond}/s)`)
  console.log(
    `  latency        p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, max ${load.latencyMs.max} ms`,
  )
  console.log(`  unexpected     ${load.unexpectedErrors}`)
  for (const [kind, { count, sample }] of Object.entries(load.errors)) {
    console.log(
      `    ${String(count).padStart(6)}  ${kind}${sample ? `  (${sample.replace(/\s+/g, ' ').slice(0, 100)})` : ''}`,
    )
  }
  console.log(
    '  memory (RSS MB: start -> end of load [peak], after idle; growth MB/s first -> last third)',
  )
  for (const [name, m] of Object.entries(r.memory)) {
    console.log(
      `    ${name.padEnd(18)} ${m.startMb} -> ${m.endMb} [${m.peakMb}], idle ${m.afterIdleMb ?? '-'}; ` +
        `${m.firstThirdMbPerS} -> ${m.lastThirdMbPerS} MB/s: ${m.levelsOff ? 'levels off' : 'STILL GROWING'}`,
    )
  }
  if (r.isolateHeap) {
    const h = r.isolateHeap
    console.log(
      `  isolate heap after GC (MB used): before load ${h.beforeLoadAfterGc.usedMb}, end of load ` +
        `${h.endOfLoadAfterGc.usedMb}, after idle ${h.afterIdleAfterGc.usedMb}`,
    )
  }
  const restarted = r.processes.filter((p) => p.firstSeenAt > 1)
  if (restarted.length > 0) {
    console.log(
      `  processes started during the soak (wrangler restarts the worker when a file of its bundle changes): ${restarted.map((p) => `${p.role}:${p.pid} at ${p.firstSeenAt.toFixed(0)} s`).join(', ')}`,
    )
  }
}

/** The worker alone in plain Miniflare (this process's child), for --inspect. */
async function startIsolate() {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'edge-identity-soak-'))
  const worker = await startInspectableWorker({
    port,
    inspectorPort: INSPECTOR_PORT,
    stateDir,
    vars,
  })
  console.log(`The worker runs in plain Miniflare (inspector on ${INSPECTOR_PORT})`)
  return {
    stateDir,
    output: () => '',
    stop: () => worker.dispose(),
  }
}

/** `npm start` in its own process group, on a fresh state directory; resolves when ready. */
async function startStack() {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'edge-identity-soak-'))
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, EDGE_IDENTITY_STATE_DIR: stateDir, EDGE_IDENTITY_NO_WATCH: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk) => {
    output += chunk
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const handle = { child, stateDir, output: () => output }
  const deadline = Date.now() + 120_000
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopStack(handle)
      throw new Error(`npm start did not become ready:\n${output}`)
    }
    await sleep(200)
  }
  console.log(`npm start is ready (process group ${child.pid}, state in ${stateDir})`)
  return handle
}

/** Stops the whole process group (npm, node, workerd, Vite) and removes the state. */
async function stopStack(handle = stack) {
  if (handle === undefined || handle.stopped) return
  handle.stopped = true
  if (handle.stop !== undefined) {
    await handle.stop()
    rmSync(handle.stateDir, { recursive: true, force: true })
    return
  }
  const signal = (name) => {
    try {
      process.kill(-handle.child.pid, name)
      return true
    } catch {
      return false
    }
  }
  signal('SIGTERM')
  for (let i = 0; i < 50 && signal(0); i++) await sleep(100)
  signal('SIGKILL')
  rmSync(handle.stateDir, { recursive: true, force: true })
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
