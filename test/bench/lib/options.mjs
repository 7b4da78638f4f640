// Settings of `npm run bench`, from flags (--seconds=5) or environment (BENCH_SECONDS=5); flags
// win. Defaults keep a whole run under four minutes on a 2-core machine.
import { parseArgs } from 'node:util'

const SPEC = {
  seconds: { env: 'BENCH_SECONDS', default: '4', help: 'length of one measured run' },
  rounds: { env: 'BENCH_ROUNDS', default: '3', help: 'interleaved rounds (order reversed each)' },
  warmup: { env: 'BENCH_WARMUP_SECONDS', default: '2', help: 'warm-up per system, not measured' },
  connections: {
    env: 'BENCH_CONNECTIONS',
    default: '10,50',
    help: 'concurrencies, comma-separated',
  },
  systems: {
    env: 'BENCH_SYSTEMS',
    default: 'ours,ours-cache,floor,peer',
    help: 'systems to run (also floor-cache)',
  },
  via: {
    env: 'BENCH_VIA',
    default: 'entry,direct',
    help: "Miniflare systems: through its entry worker, on the worker's own socket, or both",
  },
  pin: { env: 'BENCH_PIN', default: '0', help: '1: servers on CPU 0, load generator on CPU 1' },
  'port-base': { env: 'BENCH_PORT_BASE', default: '18100', help: 'first of the ports used' },
  json: { env: 'BENCH_JSON', default: '', help: 'also write every run as JSON to this file' },
}

export function usage() {
  const lines = Object.entries(SPEC).map(
    ([name, spec]) =>
      `  --${name.padEnd(12)} ${spec.env.padEnd(22)} ${spec.help} (default ${spec.default || 'none'})`,
  )
  return `Usage: node scripts/bench.mjs [--flag=value ...]\n\n${lines.join('\n')}\n`
}

/** Reads and checks the settings; throws a message naming the bad one. */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(SPEC).map((name) => [name, { type: 'string' }])),
    },
  })
  const raw = (name) => values[name] ?? env[SPEC[name].env] ?? SPEC[name].default
  const number = (name, min) => {
    const value = Number(raw(name))
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be >= ${min}`)
    return value
  }
  const connections = raw('connections').split(',').map(Number)
  if (connections.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new Error('--connections must be positive integers, e.g. 10,50')
  }
  const via = raw('via')
    .split(',')
    .map((v) => v.trim())
  if (via.length === 0 || via.some((v) => v !== 'entry' && v !== 'direct')) {
    throw new Error('--via must be entry, direct or entry,direct')
  }
  const portBase = number('port-base', 1024)
  if (portBase + 30 > 65535) throw new Error('--port-base is too high')
  return {
    help: values.help === true,
    seconds: number('seconds', 1),
    rounds: Math.floor(number('rounds', 1)),
    warmupSeconds: number('warmup', 0),
    connections,
    systems: raw('systems')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    via,
    pin: raw('pin') === '1',
    portBase,
    jsonPath: raw('json') || undefined,
  }
}
