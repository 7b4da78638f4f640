#!/usr/bin/env node
// Where a token request's CPU goes inside the worker: a DevTools CPU profile of the worker's
// isolate under load, self time per source file and per function, in microseconds per request.
// Not part of `npm run bench` (the profiler itself costs CPU); run it when the bench shows ours
// above the floor:
//   node test/bench/profile.mjs [--systems=ours,floor] [--seconds=5] [--connections=10] [--top=20]
//     [--path=/.well-known/openid-configuration]   (a GET of that path instead of the token request)
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'

// Node 20 has WebSocket only behind a flag (Node 22 has it by default): restart with it.
if (typeof WebSocket === 'undefined') {
  const child = spawnSync(
    process.execPath,
    ['--experimental-websocket', '--no-warnings', ...process.argv.slice(1)],
    { stdio: 'inherit' },
  )
  process.exit(child.status ?? 1)
}

const { bundleFloor, bundleWorker } = await import('./lib/build.mjs')
const { stopAll, stopServer } = await import('./lib/children.mjs')
const { profileWhile, summarizeProfile } = await import('./lib/cpu-profile.mjs')
const { runLoad } = await import('./lib/load.mjs')
const { defineSystems } = await import('./lib/systems.mjs')
const { createStateDir } = await import('./lib/state-dir.mjs')

const { values } = parseArgs({
  options: {
    systems: { type: 'string', default: 'ours,floor' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    top: { type: 'string', default: '20' },
    path: { type: 'string' },
    'port-base': { type: 'string', default: '18100' },
  },
})
const seconds = Number(values.seconds)
const connections = Number(values.connections)
const top = Number(values.top)

const stateRoot = createStateDir('edge-identity-profile')
const micros = (value) => value.toFixed(0).padStart(6)

try {
  const bundleDir = path.join(stateRoot, 'bundle')
  const bundles = { ours: await bundleWorker(bundleDir), floor: await bundleFloor(bundleDir) }
  const { systems, request: tokenRequest } = await defineSystems({
    portBase: Number(values['port-base']),
    stateRoot,
    bundles,
    pin: false,
    inspect: true,
  })
  for (const name of values.systems.split(',')) {
    const system = systems[name]
    if (system?.inspectorPort === undefined) throw new Error(`cannot profile ${name}`)
    const server = await system.start()
    const request = values.path === undefined ? tokenRequest : { method: 'GET', headers: {} }
    const load = (s) =>
      runLoad({
        url: new URL(values.path ?? system.tokenPath, server.url).href,
        request,
        connections,
        seconds: s,
        serverPid: server.pid,
      })
    await load(2) // warm-up: JIT, caches, keys
    const { profile, value: run } = await profileWhile(system.inspectorPort, () => load(seconds))
    await stopServer(server.pid)
    const script = name.startsWith('floor') ? bundles.floor : bundles.ours
    const summary = summarizeProfile(profile, run.responses, script)
    console.log(`
${name}: ${run.responses} requests at c=${connections}, ${run.requestsPerSecond.toFixed(0)} req/s, server CPU ${(run.cpuMsPerRequest * 1000).toFixed(0)} us/request (profiler on)
Sampled on the worker's isolate thread: ${summary.jsMicrosPerRequest.toFixed(0)} us/request
  us/req  share  by source (self time)`)
    const share = (us) => `${((100 * us) / summary.jsMicrosPerRequest).toFixed(1).padStart(4)}%`
    for (const { name: source, micros: us } of summary.bySource.slice(0, top)) {
      console.log(`  ${micros(us)}  ${share(us)}  ${source}`)
    }
    console.log('  us/req  share  by function (self time)')
    for (const { name: fn, micros: us } of summary.byFunction.slice(0, top)) {
      console.log(`  ${micros(us)}  ${share(us)}  ${fn}`)
    }
  }
} finally {
  await stopAll()
}
