#!/usr/bin/env node
// Micro-benchmarks of a token request's parts inside workerd (micro-worker.ts): for each case,
// the CPU time of Miniflare's process tree around `GET /run?case=NAME&n=N`, divided by N.
// Rounds interleave the cases, in reversed order every other round; medians are printed.
//   node test/bench/micro.mjs [--rounds=3] [--cpu-ms=400] [--filter=d1]
import path from 'node:path'
import { parseArgs } from 'node:util'
import { bundleBenchWorker, bundleFloor, bundleWorker } from './lib/build.mjs'
import { stopAll } from './lib/children.mjs'
import { treeCpuMs } from './lib/process-cpu.mjs'
import { createStateDir } from './lib/state-dir.mjs'
import { median } from './lib/stats.mjs'
import { defineSystems } from './lib/systems.mjs'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'cpu-ms': { type: 'string', default: '400' },
    filter: { type: 'string', default: '' },
    'port-base': { type: 'string', default: '18100' },
  },
})
const rounds = Number(values.rounds)
const targetCpuMs = Number(values['cpu-ms'])

const stateRoot = createStateDir('edge-identity-micro')

try {
  const bundleDir = path.join(stateRoot, 'bundle')
  const bundles = {
    ours: await bundleWorker(bundleDir),
    floor: await bundleFloor(bundleDir),
    micro: await bundleBenchWorker('micro-worker', bundleDir),
  }
  const { systems } = await defineSystems({
    portBase: Number(values['port-base']),
    stateRoot,
    bundles,
    pin: false,
  })
  const server = await systems.micro.start()
  const base = server.directUrl
  const names = (await (await fetch(new URL('/cases', base))).json()).filter((name) =>
    name.includes(values.filter),
  )

  /** CPU microseconds per iteration of one case, run n times in one request. */
  async function measure(name, n) {
    const url = new URL('/run', base)
    url.searchParams.set('case', name)
    url.searchParams.set('n', String(n))
    const before = treeCpuMs(server.pid)
    const response = await fetch(url)
    if (!response.ok) throw new Error(`${name}: ${response.status} ${await response.text()}`)
    await response.arrayBuffer()
    return ((treeCpuMs(server.pid) - before) * 1000) / n
  }

  // Calibrate: warm each case up and choose n for about targetCpuMs of CPU per measurement.
  const iterations = {}
  for (const name of names) {
    await measure(name, 20)
    const estimate = await measure(name, 200)
    iterations[name] = Math.max(200, Math.round((targetCpuMs * 1000) / Math.max(estimate, 1)))
  }
  const results = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? names : [...names].reverse()
    for (const name of order) results[name].push(await measure(name, iterations[name]))
  }
  console.log(`\nCPU per iteration inside workerd (median of ${rounds} rounds), microseconds:`)
  for (const name of names) {
    const all = results[name].map((us) => us.toFixed(0)).join(', ')
    console.log(
      `  ${median(results[name]).toFixed(1).padStart(8)}  ${name.padEnd(34)} n=${iterations[name]}  (${all})`,
    )
  }
} finally {
  await stopAll()
}
