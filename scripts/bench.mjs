#!/usr/bin/env node
// `npm run bench`: client_credentials token issuance (POST /token, client_secret_basic, ES256
// JWT) by our worker (plain Miniflare, with and without the per-isolate client cache), a floor
// (minimal Hono + jose worker, same runtime, same D1 work) and a peer (node-oidc-provider), side
// by side in one run. Method and reading: test/bench/README.md and docs/performance.md.
// Exit code 1 when a run had errors (every response must be a 200) or the bench itself failed;
// missed targets are printed, not fatal, since these machines are noisy.
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { bundleFloor, bundleWorker } from '../test/bench/lib/build.mjs'
import { checkSystem } from '../test/bench/lib/check.mjs'
import { assertPortFree, stopAll } from '../test/bench/lib/children.mjs'
import { runLoad } from '../test/bench/lib/load.mjs'
import { readOptions, usage } from '../test/bench/lib/options.mjs'
import { DIRECT, noise, otherCores, ratios, summarize } from '../test/bench/lib/report.mjs'
import { createStateDir } from '../test/bench/lib/state-dir.mjs'
import { defineSystems } from '../test/bench/lib/systems.mjs'
import { bundleSize, describeBundleSize } from './lib/bundle-size.mjs'

const PAUSE_BETWEEN_RUNS_MS = 300

let options
try {
  options = readOptions()
} catch (error) {
  console.error(`${error.message}\n\n${usage()}`)
  process.exit(2)
}
if (options.help) {
  console.log(usage())
  process.exit(0)
}
if (!existsSync('/proc/self/stat')) {
  console.error('The bench reads server CPU time from /proc: it runs on Linux only.')
  process.exit(2)
}

const stateRoot = createStateDir('edge-identity-bench')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function main() {
  const ours = await bundleWorker(path.join(stateRoot, 'bundle'))
  // The deployment bundle the systems run, as `npm test` checks it (issue 14: < 150 KB gzip).
  console.log(describeBundleSize(bundleSize(path.dirname(ours))))
  const { systems: available, request } = await defineSystems({
    portBase: options.portBase,
    stateRoot,
    bundles: {
      ours,
      floor: await bundleFloor(path.join(stateRoot, 'bundle')),
    },
    pin: options.pin,
  })
  const unknown = options.systems.filter((name) => !(name in available))
  if (unknown.length > 0) {
    throw new Error(`unknown system(s) ${unknown}; known: ${Object.keys(available)}`)
  }
  for (const name of options.systems) {
    for (const port of available[name].ports) await assertPortFree(port)
  }

  if (options.pin) {
    // All threads of this process (autocannon's sockets, libuv) on CPU 1; servers get CPU 0.
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' })
  }

  console.log(`Starting ${options.systems.join(', ')} (state in ${stateRoot})...`)
  const servers = await Promise.all(options.systems.map((name) => available[name].start()))
  // What is measured: each Miniflare system through its entry worker (`ours`) and/or on the
  // worker's own socket (`ours/direct`); the peer as it is.
  const variants = options.systems.flatMap((name, i) => {
    const { url, directUrl, pid } = servers[i]
    const at = (base) => new URL(available[name].tokenPath, base).href
    if (directUrl === undefined) return [{ name, url: at(url), pid }]
    return options.via.map((via) =>
      via === 'entry'
        ? { name, url: at(url), pid }
        : { name: `${name}${DIRECT}`, url: at(directUrl), pid },
    )
  })
  const names = variants.map((v) => v.name)

  console.log('\nOne token request each (d1 = D1 round trips of a first/second request):')
  for (const variant of variants) {
    const check = await checkSystem(variant.url, request)
    console.log(
      `  ${variant.name.padEnd(18)} ${check.header.alg} ${check.header.typ}  d1 ${check.d1First}/${check.d1Steady}  claims ${check.claims.join(' ')}`,
    )
  }

  const load = (variant, connections, seconds) =>
    runLoad({ url: variant.url, request, connections, seconds, serverPid: variant.pid })

  if (options.warmupSeconds > 0) {
    console.log(`\nWarm-up: ${options.warmupSeconds} s each at c=${options.connections[0]}`)
    for (const variant of variants) {
      await load(variant, options.connections[0], options.warmupSeconds)
    }
  }

  const runs = []
  for (let round = 1; round <= options.rounds; round++) {
    // Reversed every other round, so no system always runs first (or right after another).
    const order = round % 2 === 1 ? variants : [...variants].reverse()
    for (const connections of options.connections) {
      for (const variant of order) {
        await sleep(PAUSE_BETWEEN_RUNS_MS)
        const result = await load(variant, connections, options.seconds)
        runs.push({ round, system: variant.name, ...result })
        console.log(
          `  round ${round}/${options.rounds} c=${String(connections).padEnd(3)} ${variant.name.padEnd(18)}` +
            ` ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
            `  p99 ${result.latency.p99.toFixed(2).padStart(7)} ms` +
            `  CPU ${result.cpuMsPerRequest.toFixed(3)} ms/req` +
            `  cores: server ${result.cores.server.toFixed(2)} load ${result.cores.loadGenerator.toFixed(2)}` +
            ` other ${otherCores(result).toFixed(2)} steal ${(result.steal * 100).toFixed(0)}%` +
            (result.errors > 0 ? `  ERRORS ${JSON.stringify(result.detail)}` : ''),
        )
      }
    }
  }

  const mode = options.pin
    ? 'pinned: servers on CPU 0, load generator on CPU 1'
    : `unpinned: servers and load generator share ${os.availableParallelism()} cores`
  console.log(`
client_credentials token issuance: POST /token, client_secret_basic, ES256 JWT access token
${options.rounds} rounds x ${options.seconds} s per system and concurrency, interleaved, order reversed each round
Medians over rounds (max ms: worst of all rounds). CPU = utime+stime of the server's process tree.
Miniflare systems: \`name\` through Miniflare's entry worker, \`name${DIRECT}\` on the worker's own socket.
Mode: ${mode}
`)
  console.log(summarize(runs, names, options.connections))
  const { text, verdicts } = ratios(runs, options.connections, options.via)
  console.log(`\nRatios (each within a round, then the median):\n${text}`)
  console.log(`\n${noise(runs)}`)

  if (options.jsonPath) {
    writeFileSync(options.jsonPath, `${JSON.stringify({ options, runs, verdicts }, null, 2)}\n`)
  }
  const topConnections = Math.max(...options.connections)
  const failed = runs.filter((r) => r.errors > 0)
  if (failed.length > 0) {
    console.error(
      `\nFAIL: errors in ${failed.map((r) => `${r.system} c=${r.connections} round ${r.round}`).join(', ')}` +
        ` (every response must be a 200; zero errors are required at c=${topConnections})`,
    )
    return 1
  }
  return 0
}

let code = 1
try {
  code = await main()
} catch (error) {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : error}`)
} finally {
  await stopAll()
}
process.exit(code)
