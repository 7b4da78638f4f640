// One worker in plain Miniflare (workerd as production runs it, without `wrangler dev`'s
// inspector proxy, docs/performance.md), in its own process so its CPU can be measured apart from
// the load generator. Settings arrive as JSON in BENCH_SERVER (see lib/systems.mjs).
//
// Every system starts from the same state: the D1 migrations applied and the demo tenant seeded
// by the real worker (POST /ops/dev-seed), in a setup instance on the same tmpfs directory.
// Then the worker under test starts there, on its port (through Miniflare's entry worker) and
// on its own socket (directPort).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Log, LogLevel, Miniflare } from 'miniflare'
import { splitSqlStatements } from '../lib/sql.mjs'
import { announceReady, stopWith } from './lifecycle.mjs'

const settings = JSON.parse(process.env.BENCH_SERVER ?? '{}')
const { port, directPort, stateDir, runtime, worker, setup, inspectorPort } = settings

let current
stopWith(async () => current?.dispose())

function startMiniflare({ scriptPath, bindings }, serving = false) {
  current = new Miniflare({
    // The worker's own logs only when asked (BENCH_SERVER_LOGS, lib/children.mjs): printing costs CPU.
    ...(process.env.BENCH_SERVER_LOGS ? { log: new Log(LogLevel.INFO) } : {}),
    // Only for profile.mjs: the inspector costs CPU, so the bench never sets it.
    ...(serving && inspectorPort !== undefined ? { inspectorPort } : {}),
    // The worker also listens on its own socket, without Miniflare's entry worker in front,
    // which costs more CPU than a small worker itself (docs/performance.md) and has no counterpart
    // in production.
    ...(serving ? { unsafeDirectSockets: [{ host: '127.0.0.1', port: directPort }] } : {}),
    host: '127.0.0.1',
    port,
    modules: true,
    scriptPath,
    // Module names are relative to this root; the default (cwd) would give "../" names, which
    // workerd refuses, since bundles live on tmpfs.
    modulesRoot: path.dirname(scriptPath),
    bindings,
    compatibilityDate: runtime.compatibilityDate,
    compatibilityFlags: runtime.compatibilityFlags,
    d1Databases: runtime.d1Databases,
    kvNamespaces: runtime.kvNamespaces,
    ratelimits: runtime.ratelimits,
    // tmpfs: local D1 on disk is fsync-bound and noisy (docs/performance.md).
    d1Persist: path.join(stateDir, 'd1'),
    kvPersist: path.join(stateDir, 'kv'),
  })
  return current
}

async function applyMigrations(mf, dir) {
  const db = await mf.getD1Database(setup.d1Binding)
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
  for (const file of files) {
    const statements = splitSqlStatements(readFileSync(path.join(dir, file), 'utf8'))
    await db.batch(statements.map((sql) => db.prepare(sql)))
  }
  return files
}

const seeding = startMiniflare(setup.worker)
await seeding.ready
const migrations = await applyMigrations(seeding, setup.migrationsDir)
const seeded = await seeding.dispatchFetch('http://localhost/ops/dev-seed', {
  method: 'POST',
  headers: { Authorization: `Bearer ${setup.opsToken}` },
})
if (!seeded.ok) throw new Error(`dev-seed answered ${seeded.status}: ${await seeded.text()}`)
await seeded.arrayBuffer()
await seeding.dispose()

const serving = startMiniflare(worker, true)
const url = await serving.ready
const directUrl = (await serving.unsafeGetDirectURL()).href
announceReady({ url: url.href, directUrl, migrations })
