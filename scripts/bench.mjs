#!/usr/bin/env node
// `npm run bench`: every flow side by side in one run (issue 14). Workloads (test/bench/lib/
// flows.mjs): client_credentials (strict and with the opt-in client cache), the authorization
// code exchange with PKCE, refresh token rotation, userinfo, JWKS, discovery and a management
// read. Systems: our worker bundle in plain Miniflare (on the worker's own socket), a floor
// (minimal Hono + jose worker, same runtime, same D1 work per flow) and a peer (node-oidc-provider
// 9.13, same flows, ES256 JWT access tokens), alternating in every round. Then the token workloads
// paced at half their saturation rate, with latency measured from each request's intended send
// time. Prints one table, the targets and their verdicts; writes every run as JSON.
// Method and reading: test/bench/README.md and docs/performance.md.
// Exit code 1 when a run had errors (every response must be a 200) or the bench itself failed;
// missed targets are printed, not fatal, since these machines are noisy.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { bundleFloor, bundleWorker } from '../test/bench/lib/build.mjs'
import { assertPortFree, stopAll } from '../test/bench/lib/children.mjs'
import { adapters, WORKLOADS } from '../test/bench/lib/flows.mjs'
import { runLoad } from '../test/bench/lib/load.mjs'
import { readOptions, usage } from '../test/bench/lib/options.mjs'
import { runPaced } from '../test/bench/lib/paced.mjs'
import {
  CACHED_VS_PEER_MIN,
  CPU_VS_FLOOR_MAX,
  flowTable,
  medians,
  noise,
  number,
  PACED_P99_MAX_MS,
  table,
} from '../test/bench/lib/report.mjs'
import { createStateDir } from '../test/bench/lib/state-dir.mjs'
import { defineSystems } from '../test/bench/lib/systems.mjs'
import { bundleSize, describeBundleSize } from './lib/bundle-size.mjs'
import { parseDotenv, ROOT } from './lib/project.mjs'

const PAUSE_BETWEEN_RUNS_MS = 200

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
const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()

/** The machine, as the README's table names it. */
function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  return {
    nproc: os.availableParallelism(),
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? 'unknown',
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
  }
}

/** The workloads asked for (names or prefixes); refresh tokens come from the code exchanges. */
function selectWorkloads(asked) {
  if (asked.includes('all')) return WORKLOADS
  const picked = WORKLOADS.filter((w) => asked.some((a) => w.name.startsWith(a)))
  if (picked.length === 0) {
    throw new Error(`no workload matches ${asked}; known: ${WORKLOADS.map((w) => w.name)}`)
  }
  if (
    picked.some((w) => w.pooled === 'refreshTokens') &&
    !picked.some((w) => w.pooled === 'codes')
  ) {
    picked.unshift(WORKLOADS.find((w) => w.pooled === 'codes'))
  }
  return WORKLOADS.filter((w) => picked.includes(w))
}

const decode = (segment) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
const roundTripsOf = (response) =>
  /d1;desc="(\d+) round trips?"/.exec(response.headers.get('server-timing') ?? '')?.[1]

async function main() {
  const workloads = selectWorkloads(options.workloads)
  const systemNames = [
    ...new Set(workloads.flatMap((w) => Object.values(w.systems).filter(Boolean))),
  ]
  const host = machine()
  const commit = git('rev-parse', '--short', 'HEAD')
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== ''
  console.log(
    `Machine: ${host.nproc} cores, ${host.cpu}, load average ${host.loadAverage.join(' ')}; ` +
      `commit ${commit}${dirty ? ' (with uncommitted changes)' : ''}`,
  )

  const ours = await bundleWorker(path.join(stateRoot, 'bundle'))
  // The deployment bundle the systems run, as `npm test` checks it (issue 14: < 150 KB gzip).
  console.log(describeBundleSize(bundleSize(path.dirname(ours))))
  const vars = parseDotenv(readFileSync(path.join(ROOT, '.dev.vars.example'), 'utf8'))
  const kinds = adapters(vars)
  const { systems: available } = await defineSystems({
    portBase: options.portBase,
    stateRoot,
    bundles: { ours, floor: await bundleFloor(path.join(stateRoot, 'bundle')) },
    pin: options.pin,
    peerWeb: kinds.peer.web,
  })
  for (const name of systemNames) {
    for (const port of available[name].ports) await assertPortFree(port)
  }
  if (options.pin) {
    // All threads of this process (autocannon's sockets, libuv) on CPU 1; servers get CPU 0.
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' })
  }

  console.log(`Starting ${systemNames.join(', ')} (state in ${stateRoot})...`)
  const servers = Object.fromEntries(
    await Promise.all(
      systemNames.map(async (name) => {
        const server = await available[name].start()
        // Miniflare systems are measured on the worker's own socket (docs/performance.md).
        return [name, { pid: server.pid, base: server.directUrl ?? server.url }]
      }),
    ),
  )
  const kindOf = (system) => kinds[system.replace(/-cache$/, '')]
  const contexts = {}
  for (const name of systemNames) {
    contexts[name] = name.endsWith('-cache')
      ? { base: servers[name].base }
      : await kindOf(name).prepare(servers[name].base)
  }

  // One request of every workload each, before any load: each must answer 200 (otherwise we
  // would measure error paths), tokens must be ES256 JWTs. Also reads ours' Server-Timing
  // (D1 round trips, exposed outside production) of a steady-state request.
  console.log('\nOne request each (D1 rt = D1 round trips of ours, from its Server-Timing):')
  const roundTrips = {}
  const codeWorkload = workloads.find((w) => w.pooled === 'codes')
  const send = async (workload, system, body) => {
    const request = kindOf(system).requests[workload.name](contexts[system])
    const response = await fetch(new URL(request.path, servers[system].base), {
      method: request.method,
      headers: request.headers,
      body: body ?? request.body,
    })
    const text = await response.text()
    if (response.status !== 200) {
      throw new Error(`${system} ${workload.name}: ${response.status} ${text.slice(0, 300)}`)
    }
    return { response, text }
  }
  const probe = async (workload, system, makeBody) => {
    let last
    for (let i = 0; i < 2; i++) {
      last = await send(workload, system, await makeBody?.())
      const refreshed = workload.pooled === 'refreshTokens' && JSON.parse(last.text).refresh_token
      if (refreshed) contexts[system].probeRefresh = refreshed
    }
    roundTrips[`${workload.name} ${system}`] = roundTripsOf(last.response) ?? '-'
    let detail = ''
    if (workload.token) {
      const tokens = JSON.parse(last.text)
      const header = decode(tokens.access_token.split('.')[0])
      if (header.alg !== 'ES256') throw new Error(`${system} signed ${JSON.stringify(header)}`)
      detail = `${header.alg} ${header.typ}${tokens.id_token ? ` + id_token ${decode(tokens.id_token.split('.')[0]).alg}` : ''}${tokens.refresh_token ? ' + refresh_token' : ''}`
    }
    console.log(
      `  ${workload.name.padEnd(26)} ${system.padEnd(12)} 200  D1 rt ${roundTrips[`${workload.name} ${system}`]}  ${detail}`,
    )
    return last
  }
  const needsUserToken = workloads.some((w) => w.name === 'userinfo')
  for (const workload of workloads) {
    for (const system of Object.values(workload.systems).filter(Boolean)) {
      const kind = kindOf(system)
      const ctx = contexts[system]
      if (workload.pooled === 'codes') {
        const last = await probe(workload, system, async () =>
          kind.exchange(ctx, (await kind.codes(ctx, 1))[0]),
        )
        const tokens = JSON.parse(last.text)
        ctx.probeRefresh = tokens.refresh_token
        if (needsUserToken && system !== 'peer') ctx.userToken = tokens.access_token
      } else if (workload.pooled === 'refreshTokens') {
        // Each probe rotates the token: the next one uses its successor.
        await probe(workload, system, async () => kind.refresh(ctx.probeRefresh))
      } else {
        if (workload.name === 'userinfo' && ctx.userToken === undefined) {
          // Without the code workload: one code exchanged for the token userinfo takes.
          const item = (await kind.codes(ctx, 1))[0]
          const codeFlow = WORKLOADS.find((w) => w.pooled === 'codes')
          const { text } = await send(codeFlow, system, kind.exchange(ctx, item))
          ctx.userToken = JSON.parse(text).access_token
        }
        await probe(workload, system)
      }
    }
  }

  const load = (workload, system, seconds, pool) => {
    const request = kindOf(system).requests[workload.name](contexts[system])
    const base = servers[system].base
    return runLoad({
      url: pool ? base : new URL(request.path, base).href,
      request,
      connections: options.connections,
      seconds,
      serverPid: servers[system].pid,
      ...pool,
    })
  }

  if (options.warmupSeconds > 0) {
    console.log(`\nWarm-up: ${options.warmupSeconds} s per system and workload (codes: the probes)`)
    for (const workload of workloads.filter((w) => !w.pooled)) {
      for (const system of Object.values(workload.systems).filter(Boolean)) {
        await load(workload, system, options.warmupSeconds)
      }
    }
  }

  const runs = []
  for (let round = 1; round <= options.rounds; round++) {
    const reversed = round % 2 === 0
    // Single-use credentials of this round, made through each system's authorization endpoint.
    const codes = {}
    const refreshTokens = {}
    if (codeWorkload) {
      const took = []
      for (const system of Object.values(codeWorkload.systems).filter(Boolean)) {
        const systemStarted = performance.now()
        codes[system] = await kindOf(system).codes(contexts[system], options.codes)
        refreshTokens[system] = []
        took.push(`${system} ${((performance.now() - systemStarted) / 1000).toFixed(1)} s`)
      }
      console.log(`  round ${round}: ${options.codes} codes per system made (${took.join(', ')})`)
    }
    for (const workload of workloads) {
      const systems = Object.values(workload.systems).filter(Boolean)
      for (const system of reversed ? [...systems].reverse() : systems) {
        const kind = kindOf(system)
        let pool
        if (workload.pooled === 'codes') {
          pool = {
            bodies: codes[system].map((item) => kind.exchange(contexts[system], item)),
            onBody: (status, body) => {
              if (status === 200) refreshTokens[system].push(JSON.parse(body).refresh_token)
            },
          }
        } else if (workload.pooled === 'refreshTokens') {
          pool = { bodies: refreshTokens[system].map((token) => kind.refresh(token)) }
        }
        await sleep(PAUSE_BETWEEN_RUNS_MS)
        const result = await load(workload, system, options.seconds, pool)
        runs.push({ round, workload: workload.name, system, ...result })
        console.log(
          `  round ${round}/${options.rounds} ${workload.name.padEnd(26)} ${system.padEnd(12)}` +
            ` ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
            `  p99 ${result.latency.p99.toFixed(2).padStart(7)} ms` +
            `  CPU ${result.cpuMsPerRequest.toFixed(3)} ms/req` +
            (result.errors > 0 ? `  ERRORS ${JSON.stringify(result.detail)}` : ''),
        )
      }
    }
  }

  // Paced: the token workloads that need no pool, at half of each system's saturation rate.
  const paced = []
  if (options.pacedSeconds > 0) {
    console.log(`\nPaced: ${options.pacedSeconds} s per system at half its saturation req/s`)
    for (const workload of workloads.filter((w) => w.token && !w.pooled)) {
      for (const system of Object.values(workload.systems).filter(Boolean)) {
        const saturation = medians(runs, workload.name, system)?.requestsPerSecond
        if (!Number.isFinite(saturation)) continue
        const request = kindOf(system).requests[workload.name](contexts[system])
        await sleep(PAUSE_BETWEEN_RUNS_MS)
        const result = await runPaced({
          url: servers[system].base,
          request,
          rate: Math.max(1, Math.round(saturation / 2)),
          seconds: options.pacedSeconds,
          connections: options.connections,
          serverPid: servers[system].pid,
        })
        paced.push({ workload: workload.name, system, ...result })
      }
    }
  }

  const { text, data } = flowTable(runs, workloads, roundTrips)
  const mode = options.pin
    ? 'pinned: servers on CPU 0, load generator on CPU 1'
    : `unpinned: servers and load generator share ${host.nproc} cores`
  console.log(`
Every flow side by side: ${options.rounds} rounds, ${options.connections} connections, ${options.seconds} s per run (code and refresh: ${options.codes} single-use credentials per run), systems alternating, order reversed each round.
Medians over rounds; ratios computed within each round, then the median. CPU = utime+stime of the server's process tree per response.
Miniflare systems on the worker's own socket. Mode: ${mode}. Load average at start: ${host.loadAverage.join(' ')}.
`)
  console.log(text)
  for (const workload of workloads) {
    if (workload.why) console.log(`  ${workload.name}, peer n/a: ${workload.why}`)
  }
  if (paced.length > 0) {
    console.log(
      `\nPaced (open loop, latency from each request's intended send time, ${options.connections} connections at most):\n` +
        table(
          [
            'workload',
            'system',
            'rate/s',
            'p50 ms',
            'p99 ms',
            'p99.9 ms',
            'max ms',
            'CPU ms/req',
            'errors',
          ],
          paced.map((p) => [
            p.workload,
            p.system,
            number(p.rate),
            number(p.latency.p50, 2),
            number(p.latency.p99, 2),
            number(p.latency.p999, 1),
            number(p.latency.max, 1),
            number(p.cpuMsPerRequest, 3),
            String(p.errors),
          ]),
          2,
        ),
    )
  }

  // The targets of issue 14.
  const verdicts = []
  const verdict = (label, met, value) => verdicts.push({ label, met, value })
  for (const entry of data) {
    if (Number.isFinite(entry.ratios.cpuVsFloor)) {
      verdict(
        `CPU/req ours vs floor <= ${CPU_VS_FLOOR_MAX}: ${entry.workload}`,
        entry.ratios.cpuVsFloor <= CPU_VS_FLOOR_MAX,
        entry.ratios.cpuVsFloor,
      )
    }
  }
  const cached = data.find((d) => d.workload === 'client_credentials cached')
  if (cached && Number.isFinite(cached.ratios.rpsVsPeer)) {
    verdict(
      `req/s cached client_credentials vs peer >= ${CACHED_VS_PEER_MIN}`,
      cached.ratios.rpsVsPeer >= CACHED_VS_PEER_MIN,
      cached.ratios.rpsVsPeer,
    )
  }
  const errors = runs.reduce((sum, r) => sum + r.errors, 0)
  verdict(`zero errors at ${options.connections} connections`, errors === 0, errors)
  for (const p of paced.filter((p) => p.system.startsWith('ours'))) {
    verdict(
      `paced p99 < ${PACED_P99_MAX_MS} ms: ${p.workload} (${p.system}, ${p.rate}/s)`,
      p.latency.p99 < PACED_P99_MAX_MS,
      p.latency.p99,
    )
  }
  console.log(
    `\nTargets (issue 14):\n${verdicts.map((v) => `  ${v.met ? 'met   ' : 'MISSED'}  ${v.label}: ${number(v.value, 2)}`).join('\n')}`,
  )
  console.log(`\n${noise(runs)}`)

  const jsonPath =
    options.jsonPath ??
    path.join(ROOT, '.tmp/bench', `${new Date().toISOString().slice(0, 10)}-${commit}.json`)
  mkdirSync(path.dirname(jsonPath), { recursive: true })
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ date: new Date().toISOString(), commit, dirty, machine: { ...host, loadAverageEnd: os.loadavg() }, options, roundTrips, table: data, paced, verdicts, runs }, null, 2)}\n`,
  )
  console.log(`JSON: ${path.relative(process.cwd(), jsonPath)}`)

  const failed = runs.filter((r) => r.errors > 0)
  if (failed.length > 0) {
    console.error(
      `\nFAIL: errors in ${failed.map((r) => `${r.workload} ${r.system} round ${r.round}`).join(', ')}` +
        ` (every response must be a 200; zero errors are required at ${options.connections} connections)`,
    )
    return 1
  }
  return 0
}

let code = 1
try {
  code = await main()
} catch (error) {
  console.error(`\nbench failed: ${error instanceof Error ? error.stack : error}`)
} finally {
  await stopAll()
}
process.exit(code)
