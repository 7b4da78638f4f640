#!/usr/bin/env node
// `npm run bench -- --scale`: does a full database slow the hot paths (issue 14, "Scale")? Two
// copies of the deployment bundle in plain Miniflare (D1 on tmpfs): one with the demo tenant
// only, one also holding --clients clients (each with a secret), --users users and
// --refresh-tokens grants with one refresh token each, spread over 10 tenants (a tenant holds at
// most 50,000 clients). Seeding is SQL only: each chunk of rows is one INSERT ... SELECT over a
// recursive counter, one transaction. Then client_credentials and the authorization-code
// exchange (codes made through the real /authorize beforehand, not timed) run as closed loops at
// --concurrency, the two databases alternating, --rounds times; it prints the median requests/s
// of each and the ratio full / empty (target: lose less than 10%).
//
// `npm run bench -- --scale --write-rate`: what one local D1 database takes in writes, with the
// real schema: refresh-token rotations (one write transaction each) through the worker for
// --seconds, at concurrency 1 and --concurrency. (Timing writes from Node through Miniflare's
// binding measures its proxy instead, about 20 per second, and local D1 reports no SQL time.)
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { bundleWorker } from '../test/bench/lib/build.mjs'
import { createStateDir } from '../test/bench/lib/state-dir.mjs'
import { demo, flowsOf, median, startWorker } from './lib/worker-flows.mjs'

const { values: args } = parseArgs({
  options: {
    scale: { type: 'boolean' },
    'write-rate': { type: 'boolean' },
    clients: { type: 'string', default: '100000' },
    users: { type: 'string', default: '100000' },
    'refresh-tokens': { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '8' },
  },
})
const CLIENTS = Number(args.clients)
const USERS = Number(args.users)
const REFRESH_TOKENS = Number(args['refresh-tokens'])
const SECONDS = Number(args.seconds)
const ROUNDS = Number(args.rounds)
const CONCURRENCY = Number(args.concurrency)
const TENANTS = 10
const CHUNK = 50_000

const stateDir = createStateDir('edge-identity-scale')
const scriptPath = await bundleWorker(path.join(stateDir, 'bundle'))
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
/** The size of the SQLite files under `dir` (the database and its write-ahead log), in MB. */
function megabytes(dir) {
  let bytes = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.sqlite(-wal)?$/.test(entry.name)) {
      bytes += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size
    }
  }
  return `${(bytes / 1e6).toFixed(0)} MB`
}

/** `INSERT ... SELECT` of rows first..last (a recursive counter `n`), one statement. */
const counter = (first, last) =>
  `WITH RECURSIVE seq(n) AS (SELECT ${first} UNION ALL SELECT n + 1 FROM seq WHERE n < ${last})`

async function inChunks(db, total, sql) {
  for (let first = 1; first <= total; first += CHUNK) {
    const last = Math.min(total, first + CHUNK - 1)
    await db.prepare(sql(first, last)).run()
  }
}

/** Bulk rows, SQL only; ids are random (as in production) so the B-trees have realistic shape. */
async function seed(db) {
  const now = Math.floor(Date.now() / 1000)
  const started = performance.now()
  const tenants = Array.from({ length: TENANTS }, (_, i) => `scale-tenant-${i}`)
  await db.batch(
    tenants.map((id) =>
      db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?1, ?1, ?2)').bind(id, now),
    ),
  )
  const tenantOf = (n) => `'scale-tenant-' || (${n} % ${TENANTS})`
  // Clients and their principals: ids `c-<n>-<random>`, kept in a scratch table to join on n.
  await db.prepare('CREATE TABLE scale_ids (n INTEGER PRIMARY KEY, client TEXT, user TEXT)').run()
  await inChunks(
    db,
    Math.max(CLIENTS, USERS),
    (a, b) =>
      `${counter(a, b)} INSERT INTO scale_ids (n, client, user)
       SELECT n, 'c-' || n || '-' || lower(hex(randomblob(8))), 'u-' || n || '-' || lower(hex(randomblob(8)))
       FROM seq`,
  )
  await inChunks(
    db,
    CLIENTS,
    (a, b) =>
      `INSERT INTO principals (id, kind) SELECT client, 'client' FROM scale_ids WHERE n BETWEEN ${a} AND ${b}`,
  )
  await inChunks(
    db,
    CLIENTS,
    (a, b) =>
      `INSERT INTO clients (id, tenant_id, type, name, created_at, updated_at)
       SELECT client, ${tenantOf('n')}, 'client-credentials', 'Scale client ' || n, ${now}, ${now}
       FROM scale_ids WHERE n BETWEEN ${a} AND ${b}`,
  )
  await inChunks(
    db,
    CLIENTS,
    (a, b) =>
      `INSERT INTO client_secrets (id, client_id, secret_hash, created_at)
       SELECT lower(hex(randomblob(16))), client, lower(hex(randomblob(32))), ${now}
       FROM scale_ids WHERE n BETWEEN ${a} AND ${b}`,
  )
  const clientsMs = performance.now() - started
  await inChunks(
    db,
    USERS,
    (a, b) =>
      `INSERT INTO principals (id, kind) SELECT user, 'user' FROM scale_ids WHERE n BETWEEN ${a} AND ${b}`,
  )
  await inChunks(
    db,
    USERS,
    (a, b) =>
      `INSERT INTO users (id, tenant_id, email, email_key, name, created_at, updated_at)
       SELECT user, ${tenantOf('n')}, 'user' || n || '@scale.example', 'user' || n || '@scale.example',
              'Scale user ' || n, ${now}, ${now}
       FROM scale_ids WHERE n BETWEEN ${a} AND ${b}`,
  )
  const usersMs = performance.now() - started - clientsMs
  // Grant n belongs to client (n mod CLIENTS) and user (n mod USERS), in the client's tenant.
  await inChunks(
    db,
    REFRESH_TOKENS,
    (a, b) =>
      `${counter(a, b)} INSERT INTO grants (id, tenant_id, client_id, user_id, session_id, scope,
                                            auth_time, created_at, expires_at)
       SELECT 'g-' || seq.n, c.tenant_id, ids.client, u.user, lower(hex(randomblob(16))),
              'openid offline_access', ${now}, ${now}, ${now + 30 * 86400}
       FROM seq
       JOIN scale_ids ids ON ids.n = (seq.n % ${CLIENTS}) + 1
       JOIN clients c ON c.id = ids.client
       JOIN scale_ids u ON u.n = (seq.n % ${USERS}) + 1`,
  )
  await inChunks(
    db,
    REFRESH_TOKENS,
    (a, b) =>
      `${counter(a, b)} INSERT INTO refresh_tokens (token_hash, grant_id, client_id, scope, created_at, expires_at)
       SELECT lower(hex(randomblob(32))), 'g-' || seq.n, ids.client, 'openid offline_access',
              ${now}, ${now + 30 * 86400}
       FROM seq JOIN scale_ids ids ON ids.n = (seq.n % ${CLIENTS}) + 1`,
  )
  const grantsMs = performance.now() - started - clientsMs - usersMs
  await db.prepare('DROP TABLE scale_ids').run()
  return { clientsMs, usersMs, grantsMs, totalMs: performance.now() - started }
}

/** Requests per second of `request` in a closed loop at CONCURRENCY for SECONDS. */
async function closedLoop(request) {
  const deadline = performance.now() + SECONDS * 1000
  let done = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const response = await request()
        if (response.status !== 200) {
          throw new Error(`answered ${response.status}: ${await response.text()}`)
        }
        await response.arrayBuffer()
        done++
      }
    }),
  )
  return done / ((performance.now() - started) / 1000)
}

/** Exchanges `codes` at CONCURRENCY; answers exchanges per second. */
async function exchangeAll(flows, codes) {
  const queue = [...codes]
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
        const response = await flows.exchange(next)
        if (response.status !== 200) throw new Error(`exchange answered ${response.status}`)
        await response.arrayBuffer()
      }
    }),
  )
  return codes.length / ((performance.now() - started) / 1000)
}

async function writeRate() {
  const { mf } = await startWorker(scriptPath, path.join(stateDir, 'writes'))
  const flows = await flowsOf(mf)
  /** Rotations per second for SECONDS, `concurrency` refresh-token chains rotated in parallel. */
  const measure = async (concurrency) => {
    const chains = []
    for (let i = 0; i < concurrency; i++) chains.push(await flows.hybridRefreshToken())
    const deadline = performance.now() + SECONDS * 1000
    let done = 0
    const started = performance.now()
    await Promise.all(
      chains.map(async (first) => {
        let token = first
        while (performance.now() < deadline) {
          const response = await flows.refresh(token)
          if (response.status !== 200) throw new Error(`refresh answered ${response.status}`)
          token = (await response.json()).refresh_token
          done++
        }
      }),
    )
    return done / ((performance.now() - started) / 1000)
  }
  await measure(1)
  const sequential = await measure(1)
  const parallel = await measure(CONCURRENCY)
  console.log(
    'Refresh rotations through the worker (each: one read for client authentication, then one ' +
      'write transaction of the real schema: consume, revoke-on-replay check, insert the successor ' +
      'and the access token), D1 on tmpfs, deployment bundle in plain Miniflare:',
  )
  console.log(
    `  concurrency 1: ${Math.round(sequential)} rotations/s; concurrency ${CONCURRENCY}: ` +
      `${Math.round(parallel)} rotations/s`,
  )
  await mf.dispose()
}

async function scale() {
  console.log(
    `Seeding ${CLIENTS} clients, ${USERS} users, ${REFRESH_TOKENS} grants with a refresh token each...`,
  )
  const empty = await startWorker(scriptPath, path.join(stateDir, 'empty'))
  const full = await startWorker(scriptPath, path.join(stateDir, 'full'))
  const timing = await seed(full.db)
  console.log(
    `Seeded in ${seconds(timing.totalMs)} (clients and secrets ${seconds(timing.clientsMs)}, ` +
      `users ${seconds(timing.usersMs)}, grants and refresh tokens ${seconds(timing.grantsMs)}); ` +
      `database file ${megabytes(path.join(stateDir, 'full', 'd1'))} (near-empty: ` +
      `${megabytes(path.join(stateDir, 'empty', 'd1'))})`,
  )
  const systems = { empty: await flowsOf(empty.mf), full: await flowsOf(full.mf) }
  const results = { empty: { cc: [], exchange: [] }, full: { cc: [], exchange: [] } }
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['empty', 'full'] : ['full', 'empty']
    for (const name of order) {
      const flows = systems[name]
      await closedLoop(flows.clientCredentials) // warm-up (isolate, signing keys, page cache)
      results[name].cc.push(await closedLoop(flows.clientCredentials))
      const codes = []
      for (let i = 0; i < Math.round(40 * SECONDS); i++) codes.push(await flows.spaCode())
      results[name].exchange.push(await exchangeAll(flows, codes))
    }
    console.log(
      `round ${round + 1}: client_credentials ${Math.round(results.empty.cc[round])} vs ` +
        `${Math.round(results.full.cc[round])}/s, code exchange ` +
        `${Math.round(results.empty.exchange[round])} vs ${Math.round(results.full.exchange[round])}/s (empty vs full)`,
    )
  }
  const row = (label, key) => {
    const e = median(results.empty[key])
    const f = median(results.full[key])
    const change = ((f / e - 1) * 100).toFixed(1)
    console.log(`| ${label} | ${Math.round(e)}/s | ${Math.round(f)}/s | ${change}% |`)
  }
  console.log(
    `\n| ${CONCURRENCY} concurrent, median of ${ROUNDS} rounds | near-empty D1 | ${CLIENTS} clients, ${USERS} users, ${REFRESH_TOKENS} refresh tokens | change |`,
  )
  console.log('|---|---|---|---|')
  row('client_credentials', 'cc')
  row('authorization-code exchange (PKCE)', 'exchange')
  await empty.mf.dispose()
  await full.mf.dispose()
}

console.log(`(demo tenant ${demo.DEMO_TENANT_ID}; state in ${stateDir})`)
if (args['write-rate']) await writeRate()
else await scale()
