// For `npm run soak -- --inspect`: the worker in plain Miniflare (one workerd process, no dev
// proxy) with its DevTools port open, so the isolate's own heap can be read beside the process's
// resident memory: a heap that grows after garbage collection is our leak, a process that grows
// around a flat heap is the runtime's.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { bundleWorker } from '../../test/bench/lib/build.mjs'
import { splitSqlStatements } from '../../test/bench/lib/sql.mjs'
import { ROOT } from './project.mjs'

/** Starts the worker as deployed (wrangler's bundle), migrated and seeded; answers its handle. */
export async function startInspectableWorker({ port, inspectorPort, stateDir, vars }) {
  const { Miniflare } = await import('miniflare')
  const { unstable_readConfig: readWranglerConfig } = await import('wrangler')
  const config = readWranglerConfig({ config: path.join(ROOT, 'wrangler.toml') })
  const scriptPath = await bundleWorker(path.join(stateDir, 'bundle'))
  const mf = new Miniflare({
    host: '127.0.0.1',
    port,
    inspectorPort,
    modules: true,
    scriptPath,
    modulesRoot: path.dirname(scriptPath),
    bindings: { ...config.vars, ...vars, ISSUER: `http://localhost:${port}` },
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    d1Databases: Object.fromEntries(config.d1_databases.map((d) => [d.binding, d.database_id])),
    kvNamespaces: Object.fromEntries(config.kv_namespaces.map((k) => [k.binding, k.id])),
    ratelimits: Object.fromEntries(config.ratelimits.map((r) => [r.name, { simple: r.simple }])),
    d1Persist: path.join(stateDir, 'd1'),
    kvPersist: path.join(stateDir, 'kv'),
  })
  await mf.ready
  const db = await mf.getD1Database(config.d1_databases[0].binding)
  const migrations = path.join(ROOT, config.d1_databases[0].migrations_dir)
  for (const file of readdirSync(migrations)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const statements = splitSqlStatements(readFileSync(path.join(migrations, file), 'utf8'))
    await db.batch(statements.map((sql) => db.prepare(sql)))
  }
  const seeded = await fetch(`http://127.0.0.1:${port}/ops/dev-seed`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${vars.OPS_TOKEN}` },
  })
  if (!seeded.ok) throw new Error(`dev-seed: ${seeded.status} ${await seeded.text()}`)
  return { dispose: () => mf.dispose() }
}

/**
 * A minimal DevTools client on the worker's isolate: send(method, params) -> result. workerd
 * runs some commands (garbage collection, heap snapshots) only when the isolate is entered, so
 * while one is pending a cheap request to `pokeUrl` wakes it every 200 ms.
 */
export async function connectInspector(inspectorPort, pokeUrl) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()
  const target = targets.find((t) => !/loopback|entry/i.test(t.title ?? '')) ?? targets[0]
  // Node 20 has WebSocket only behind a flag; miniflare's own ws package serves instead.
  const Socket = globalThis.WebSocket ?? (await import('ws')).WebSocket
  const socket = new Socket(target.webSocketDebuggerUrl)
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true })
    socket.addEventListener('error', () => reject(new Error('inspector unreachable')), {
      once: true,
    })
  })
  let nextId = 1
  const pending = new Map()
  const listeners = new Map()
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data))
    if (message.method !== undefined) return listeners.get(message.method)?.(message.params)
    const waiter = pending.get(message.id)
    if (waiter === undefined) return
    pending.delete(message.id)
    if (message.error) waiter.reject(new Error(message.error.message))
    else waiter.resolve(message.result)
  })
  return {
    title: target.title,
    async send(method, params = {}) {
      const id = nextId++
      socket.send(JSON.stringify({ id, method, params }))
      const result = new Promise((resolve, reject) => pending.set(id, { resolve, reject }))
      let settled = false
      result.finally(() => {
        settled = true
      })
      const poke = async () => {
        await new Promise((resolve) => setTimeout(resolve, 200))
        while (!settled) {
          await fetch(pokeUrl).then(
            (r) => r.arrayBuffer(),
            () => undefined,
          )
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      }
      if (pokeUrl !== undefined) void poke()
      return result
    },
    on: (method, listener) => listeners.set(method, listener),
    close: () => socket.close(),
  }
}

/** The isolate's heap (MB) now, and after a full garbage collection when `collect`. */
export async function isolateHeapMb(inspector, collect = false) {
  if (collect) {
    await inspector.send('HeapProfiler.enable')
    await inspector.send('HeapProfiler.collectGarbage')
  }
  const { usedSize, totalSize } = await inspector.send('Runtime.getHeapUsage')
  const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10
  return { usedMb: mb(usedSize), totalMb: mb(totalSize) }
}
