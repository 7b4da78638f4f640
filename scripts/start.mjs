#!/usr/bin/env node
// `npm start`: installs what is missing, applies the local D1 migrations, runs the identity
// server on :8787 (wrangler's API, inspector proxy off: about a third of the CPU per request of
// `wrangler dev`, docs/performance.md) and the demo SPA on :5173, seeds the demo tenant, runs the
// example MCP server on :8788, prints the URLs and credentials. SIGINT/SIGTERM stop everything it
// started.
import { connect } from 'node:net'
import path from 'node:path'
import { BIN, ensureDependencies, ensureDevVars, ROOT, run } from './lib/project.mjs'

const SERVER_PORT = 8787
const SPA_PORT = 5173
// The example MCP server (examples/mcp-server), protected by @edge-identity/resource-server.
const MCP_PORT = 8788
const MCP_RESOURCE = `http://localhost:${MCP_PORT}/mcp`
const SHUTDOWN_DEADLINE_MS = 8000

await ensureDependencies()
const devVars = ensureDevVars()
// EDGE_IDENTITY_STATE_DIR lets tests run against a fresh local D1/KV; ISSUER lets them serve
// the same stack under another host name (the cross-site layout of the browser tests).
const persist = process.env.EDGE_IDENTITY_STATE_DIR
// Tests and the soak run the stack unwatched: wrangler restarts the worker when a file its
// bundle read changes, and a POST in flight then fails with "503 Your worker restarted
// mid-request" from the dev proxy.
const watch = process.env.EDGE_IDENTITY_NO_WATCH !== '1'
const issuer = process.env.ISSUER ?? 'http://localhost:8787'
const spaOrigin = devVars.DEMO_SPA_ORIGIN ?? `http://localhost:${SPA_PORT}`

// A busy port would make the worker or Vite wait forever: say so at once instead.
for (const port of [SERVER_PORT, SPA_PORT, MCP_PORT]) {
  if (await portInUse(port)) {
    console.error(`Port ${port} is in use (another npm start?). Stop that process and try again.`)
    process.exit(1)
  }
}

const { unstable_startWorker: startWorker, unstable_readConfig: readWranglerConfig } = await import(
  'wrangler'
)
const { createServer } = await import('vite')

// The worker checks its configuration at startup; check it here first, so a bad value stops
// `npm start` with the worker's own message instead of a worker that never becomes ready.
const { tsImport } = await import('tsx/esm/api')
const { readConfig, ConfigError } = await tsImport('../worker/src/config.ts', import.meta.url)
try {
  readConfig({
    ...readWranglerConfig({ config: path.join(ROOT, 'wrangler.toml') }).vars,
    ...devVars,
    ISSUER: issuer,
  })
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(
    `\n${error.message}\n\nFix .dev.vars (or the ISSUER variable) and run npm start again.`,
  )
  process.exit(1)
}

// The demo SPA imports the built client library (client-lib/dist is not committed): build it
// while the migrations run, and wait for it only before Vite starts.
const clientLibBuilt = run('node', [path.join(ROOT, 'client-lib/scripts/build.mjs')])
clientLibBuilt.catch(() => {}) // awaited below; this only keeps an early failure from crashing

await run(path.join(BIN, 'wrangler'), [
  'd1',
  'migrations',
  'apply',
  'DB',
  '--local',
  ...(persist ? ['--persist-to', persist] : []),
])

const stoppers = []
let stopping = false
async function stop(code) {
  if (stopping) return
  stopping = true
  console.log('\nStopping edge-identity...')
  const deadline = setTimeout(() => process.exit(code), SHUTDOWN_DEADLINE_MS)
  deadline.unref()
  await Promise.allSettled(stoppers.map((stopper) => stopper()))
  process.exit(code)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
// `npm start` exits on SIGTERM without passing it on; when our parent goes, we go too.
const parent = process.ppid
setInterval(() => process.ppid !== parent && stop(0), 500).unref()

try {
  const worker = await startWorker({
    config: path.join(ROOT, 'wrangler.toml'),
    bindings: { ISSUER: { type: 'plain_text', value: issuer } },
    dev: {
      inspector: false,
      watch,
      logLevel: 'warn',
      server: { hostname: '127.0.0.1', port: SERVER_PORT },
      ...(persist ? { persist } : {}),
    },
  })
  stoppers.push(() => worker.dispose())
  await withDeadline(worker.ready, 60_000, 'the identity server did not start within 60 s')

  const seeded = await fetch(`http://127.0.0.1:${SERVER_PORT}/ops/dev-seed`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${devVars.OPS_TOKEN}` },
  })
  if (!seeded.ok) throw new Error(`seeding the demo tenant failed: ${await seeded.text()}`)

  await clientLibBuilt
  const spa = await createServer({
    configFile: path.join(ROOT, 'demo-spa/vite.config.ts'),
    server: { port: SPA_PORT, strictPort: true, host: '127.0.0.1' },
    define: {
      'import.meta.env.VITE_ISSUER': JSON.stringify(issuer),
      'import.meta.env.VITE_CLIENT_ID': JSON.stringify(devVars.DEMO_SPA_CLIENT_ID ?? ''),
    },
    logLevel: 'warn',
  })
  stoppers.push(() => spa.close())
  await spa.listen()

  // It accepts tokens of this issuer for its resource, which the seed registered for the tenant.
  const mcp = await startWorker({
    config: path.join(ROOT, 'examples/mcp-server/wrangler.toml'),
    bindings: {
      ISSUER: { type: 'plain_text', value: issuer },
      RESOURCE: { type: 'plain_text', value: MCP_RESOURCE },
    },
    dev: {
      inspector: false,
      watch,
      logLevel: 'warn',
      server: { hostname: '127.0.0.1', port: MCP_PORT },
    },
  })
  stoppers.push(() => mcp.dispose())
  await withDeadline(mcp.ready, 60_000, 'the example MCP server did not start within 60 s')

  console.log(`
edge-identity is running (development)

  Identity server   ${issuer}
  Discovery         ${issuer}/.well-known/openid-configuration
  Demo SPA          ${spaOrigin}
  MCP server        ${MCP_RESOURCE} (example, resource-server package)

Demo credentials (development only, from .dev.vars):
  Administrator     ${devVars.DEMO_ADMIN_EMAIL} / ${devVars.DEMO_ADMIN_PASSWORD}
  Tenant id         ${devVars.DEMO_TENANT_ID}
  Admin client      ${devVars.DEMO_ADMIN_CLIENT_ID} / ${devVars.DEMO_ADMIN_CLIENT_SECRET}
  SPA client id     ${devVars.DEMO_SPA_CLIENT_ID}

Press Ctrl-C to stop.
`)
} catch (error) {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : error}`)
  await stop(1)
}

function withDeadline(promise, ms, message) {
  let timer
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
