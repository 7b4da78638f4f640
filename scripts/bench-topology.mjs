#!/usr/bin/env node
// `npm run bench -- --topology`: a latency model of a user far from D1's primary (issue 14,
// "Reads near the user"). The deployment bundle runs in plain Miniflare with the test-only
// `D1_LATENCY_MODEL` binding, which makes the worker wait before each D1 round trip
// (worker/src/storage/db.ts; ignored in production). Each flow is replayed twice:
//   before: every round trip pays the distance to the primary (150 ms), as when every read went
//           to the primary;
//   after:  round trips on `deps.replica` pay the distance to a nearby replica (5 ms), the others
//           still 150 ms.
// It prints the median latency of each flow, and the round trips behind it (Server-Timing).
// Options: --samples N (default 5), --primary-ms N (150), --replica-ms N (5), --json FILE.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { bundleWorker } from '../test/bench/lib/build.mjs'
import { createStateDir } from '../test/bench/lib/state-dir.mjs'
import {
  Browser,
  flowsOf,
  ISSUER,
  median,
  ok,
  pkce,
  spaQuery,
  startWorker,
} from './lib/worker-flows.mjs'

const { values: args } = parseArgs({
  options: {
    topology: { type: 'boolean' },
    samples: { type: 'string', default: '5' },
    'primary-ms': { type: 'string', default: '150' },
    'replica-ms': { type: 'string', default: '5' },
    json: { type: 'string' },
  },
})
const SAMPLES = Number(args.samples)
const PRIMARY_MS = Number(args['primary-ms'])
const REPLICA_MS = Number(args['replica-ms'])

const stateDir = createStateDir('edge-identity-topology')
const scriptPath = await bundleWorker(path.join(stateDir, 'bundle'))
const { mf, reconfigure } = await startWorker(scriptPath, stateDir)
const flows = await flowsOf(mf)
const { browser, clientCredentials, adminToken, api, spaCode, exchange } = flows

// ---- the flows: `prepare` (not timed) answers what `run` (timed) needs ----
const FLOWS = [
  {
    name: 'discovery',
    run: () => mf.dispatchFetch(`${ISSUER}/.well-known/openid-configuration`),
  },
  {
    name: 'JWKS (KV miss)',
    prepare: async () => (await mf.getKVNamespace('CACHE')).delete('jwks:v1'),
    run: () => mf.dispatchFetch(`${ISSUER}/.well-known/jwks.json`),
  },
  { name: 'client_credentials', run: clientCredentials },
  {
    name: 'authorize, sign-in page (no session)',
    run: () => new Browser(mf).fetch(`/authorize?${spaQuery(pkce().challenge)}`),
  },
  {
    name: 'authorize, signed in (code issued)',
    run: () => browser.fetch(`/authorize?${spaQuery(pkce().challenge)}`),
  },
  { name: 'code exchange (PKCE)', prepare: spaCode, run: exchange },
  { name: 'refresh rotation', prepare: flows.hybridRefreshToken, run: flows.refresh },
  {
    name: 'userinfo',
    prepare: async () => (await (await exchange(await spaCode())).json()).access_token,
    run: (token) =>
      mf.dispatchFetch(`${ISSUER}/userinfo`, { headers: { Authorization: `Bearer ${token}` } }),
  },
  {
    name: 'management read (GET /roles)',
    prepare: adminToken,
    run: (token) => api(token, 'GET', '/roles'),
  },
]

function roundTrips(response) {
  const timing = response.headers.get('Server-Timing') ?? ''
  const total = Number(/d1;desc="(\d+) round trips"/.exec(timing)?.[1] ?? Number.NaN)
  const replica = Number(/d1-replica;desc="(\d+) round trips"/.exec(timing)?.[1] ?? Number.NaN)
  return { primary: total - replica, replica }
}

async function measure(latency) {
  await reconfigure({ D1_LATENCY_MODEL: `primary=${latency.primary},replica=${latency.replica}` })
  const results = {}
  for (const flow of FLOWS) {
    // One warm-up (per-isolate caches: signing keys, metadata), then the samples.
    for (let i = 0; i <= SAMPLES; i++) {
      const input = flow.prepare ? await flow.prepare() : undefined
      const started = performance.now()
      const response = await flow.run(input)
      const elapsed = performance.now() - started
      await ok(response, flow.name)
      await response.arrayBuffer()
      if (i === 0) continue
      results[flow.name] ??= { ms: [], ...roundTrips(response) }
      results[flow.name].ms.push(elapsed)
    }
  }
  return results
}

console.log(
  `Latency model: every D1 round trip waits ${PRIMARY_MS} ms (primary) or ${REPLICA_MS} ms ` +
    `(replica), ${SAMPLES} samples per flow, median; deployment bundle in plain Miniflare.`,
)
const before = await measure({ primary: PRIMARY_MS, replica: PRIMARY_MS })
const after = await measure({ primary: PRIMARY_MS, replica: REPLICA_MS })
await mf.dispose()

const rows = FLOWS.map(({ name }) => ({
  flow: name,
  primary: after[name].primary,
  replica: after[name].replica,
  beforeMs: Math.round(median(before[name].ms)),
  afterMs: Math.round(median(after[name].ms)),
}))
console.log(
  `\n| flow | D1 round trips: primary + replica | before: all on the primary (${PRIMARY_MS} ms) | after: replica reads (${REPLICA_MS} ms) |`,
)
console.log('|---|---|---|---|')
for (const row of rows) {
  console.log(
    `| ${row.flow} | ${row.primary} + ${row.replica} | ${row.beforeMs} ms | ${row.afterMs} ms |`,
  )
}
if (args.json) {
  writeFileSync(
    args.json,
    `${JSON.stringify({ date: new Date().toISOString(), primaryMs: PRIMARY_MS, replicaMs: REPLICA_MS, samples: SAMPLES, rows }, null, 2)}\n`,
  )
}
