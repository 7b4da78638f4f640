// The systems under test and how each one starts. All serve POST /token for the same client id
// and secret (the demo admin client of .dev.vars.example) and answer an ES256 JWT access token.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseDotenv, ROOT } from '../../../scripts/lib/project.mjs'
import { startServer } from './children.mjs'

const SERVERS = path.join(ROOT, 'test/bench/servers')
const CLIENT_CACHE_TTL_SECONDS = '30'
const RAISED_LIMITS = {
  API_REQUESTS: { limit: 1_000_000_000, period: 60 },
  AUTHORIZE_REQUESTS: { limit: 1_000_000_000, period: 60 },
}

/** What every system is asked, byte for byte: RFC 6749 §4.4.2 with client_secret_basic. */
export function tokenRequest(clientId, clientSecret) {
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64')
  return {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=api',
  }
}

/** The Miniflare options wrangler.toml implies: compatibility, D1, KV and rate limiters. */
async function readRuntime() {
  const { unstable_readConfig: readWranglerConfig } = await import('wrangler')
  const config = readWranglerConfig({ config: path.join(ROOT, 'wrangler.toml') })
  const d1 = config.d1_databases[0]
  return {
    vars: config.vars,
    d1Binding: d1.binding,
    migrationsDir: path.join(ROOT, d1.migrations_dir ?? 'migrations'),
    runtime: {
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      // Same database id for every system, so they all read the same seeded rows.
      d1Databases: Object.fromEntries(config.d1_databases.map((d) => [d.binding, d.database_id])),
      kvNamespaces: Object.fromEntries(config.kv_namespaces.map((k) => [k.binding, k.id])),
      // The limits of /authorize and the management API (300 a minute per address or token) would
      // answer 429 within a second of load: the bench raises them, and every request still pays
      // for the limiter's call. The limit on failed client authentications stays (none fail).
      ratelimits: Object.fromEntries(
        config.ratelimits.map((r) => [
          r.name,
          { simple: r.name in RAISED_LIMITS ? RAISED_LIMITS[r.name] : r.simple },
        ]),
      ),
    },
  }
}

/**
 * Answers the systems, by name, each with `start()` (resolves to the running server: pid, url)
 * and its token path. `bundles` are the built worker scripts; `stateRoot` is on tmpfs.
 */
export async function defineSystems({
  portBase,
  stateRoot,
  bundles,
  pin,
  inspect = false,
  peerWeb,
}) {
  const demo = parseDotenv(readFileSync(path.join(ROOT, '.dev.vars.example'), 'utf8'))
  const { vars, d1Binding, migrationsDir, runtime } = await readRuntime()
  // Fresh secrets per run; every instance of ours in this run shares them (setup and serving).
  const opsToken = randomBytes(32).toString('hex')
  const keyEncryptionSecret = randomBytes(32).toString('hex')
  const node = (script) =>
    // Pinned mode: servers on CPU 0, the load generator (this process) on CPU 1.
    pin ? ['taskset', ['-c', '0', process.execPath, script]] : [process.execPath, [script]]

  const oursBindings = (port, extra = {}) => ({
    ...vars,
    ...Object.fromEntries(Object.entries(demo).filter(([name]) => name.startsWith('DEMO_'))),
    ENVIRONMENT: 'test',
    // The worker's own socket (10 above the entry port) is what the bench measures; the issuer
    // is its origin, so the sign-in form's Origin check passes there.
    ISSUER: `http://127.0.0.1:${port + 10}`,
    KEY_ENCRYPTION_SECRET: keyEncryptionSecret,
    OPS_TOKEN: opsToken,
    ...extra,
  })

  // Per Miniflare system: the entry port (through Miniflare's entry worker), the worker's own
  // socket 10 above it, and 20 above it the DevTools port (profile.mjs only).
  const miniflare = (name, port, worker) => ({
    name,
    ports: inspect ? [port, port + 10, port + 20] : [port, port + 10],
    tokenPath: '/token',
    inspectorPort: inspect ? port + 20 : undefined,
    start: () => {
      const oursWorker = { scriptPath: bundles.ours, bindings: oursBindings(port) }
      const settings = {
        port,
        directPort: port + 10,
        inspectorPort: inspect ? port + 20 : undefined,
        stateDir: path.join(stateRoot, name),
        runtime,
        worker,
        setup: { worker: oursWorker, d1Binding, migrationsDir, opsToken },
      }
      const [command, args] = node(path.join(SERVERS, 'miniflare.mjs'))
      return startServer(name, command, args, { env: { BENCH_SERVER: JSON.stringify(settings) } })
    },
  })

  const ports = {
    ours: portBase,
    'ours-cache': portBase + 1,
    floor: portBase + 2,
    peer: portBase + 3,
    'floor-cache': portBase + 4,
    micro: portBase + 5,
  }
  const systems = {
    ours: miniflare('ours', ports.ours, {
      scriptPath: bundles.ours,
      bindings: oursBindings(ports.ours),
    }),
    'ours-cache': miniflare('ours-cache', ports['ours-cache'], {
      scriptPath: bundles.ours,
      bindings: oursBindings(ports['ours-cache'], {
        CLIENT_CACHE_TTL_SECONDS,
      }),
    }),
    floor: miniflare('floor', ports.floor, {
      scriptPath: bundles.floor,
      bindings: { ISSUER: `http://localhost:${ports.floor}` },
    }),
    'floor-cache': miniflare('floor-cache', ports['floor-cache'], {
      scriptPath: bundles.floor,
      bindings: { ISSUER: `http://localhost:${ports['floor-cache']}`, CACHE_CLIENT: '1' },
    }),
    // Only when micro.mjs built it: the micro-benchmark worker, with ours' bindings.
    ...(bundles.micro && {
      micro: miniflare('micro', ports.micro, {
        scriptPath: bundles.micro,
        bindings: oursBindings(ports.micro, {
          BENCH_CLIENT_ID: demo.DEMO_ADMIN_CLIENT_ID,
          BENCH_AUTHORIZATION: tokenRequest(
            demo.DEMO_ADMIN_CLIENT_ID,
            demo.DEMO_ADMIN_CLIENT_SECRET,
          ).headers.authorization,
        }),
      }),
    }),
    peer: {
      name: 'peer',
      ports: [ports.peer],
      tokenPath: '/token',
      start: () => {
        const settings = {
          port: ports.peer,
          issuer: `http://localhost:${ports.peer}`,
          clientId: demo.DEMO_ADMIN_CLIENT_ID,
          clientSecret: demo.DEMO_ADMIN_CLIENT_SECRET,
          audience: `http://localhost:${ports.peer}/api`,
          lifetimeSeconds: 3600,
          // The code-flow client and the account every code is for (flows.mjs).
          web: peerWeb ?? { id: 'bench-web', secret: 'bench-web-secret', redirectUri: '' },
          user: { id: 'bench-user', email: demo.DEMO_ADMIN_EMAIL, name: 'Demo Admin' },
        }
        const [command, args] = node(path.join(SERVERS, 'peer.mjs'))
        return startServer('peer', command, args, {
          env: { BENCH_SERVER: JSON.stringify(settings) },
        })
      },
    },
  }
  return {
    systems,
    request: tokenRequest(demo.DEMO_ADMIN_CLIENT_ID, demo.DEMO_ADMIN_CLIENT_SECRET),
  }
}
