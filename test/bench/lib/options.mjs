// Settings of `npm run bench`, from flags (--seconds=5) or environment (BENCH_SECONDS=5); flags
// win. Defaults keep a whole run under ten minutes on a 2-core machine; --quick makes every
// phase short, to check that the bench runs (its figures are not worth quoting).
import { parseArgs } from 'node:util'

const SPEC = {
  seconds: { env: 'BENCH_SECONDS', default: '4', quick: '1', help: 'length of one measured run' },
  rounds: {
    env: 'BENCH_ROUNDS',
    default: '3',
    quick: '1',
    help: 'interleaved rounds (order reversed each)',
  },
  warmup: {
    env: 'BENCH_WARMUP_SECONDS',
    default: '1',
    quick: '0.5',
    help: 'warm-up per system and workload, not measured',
  },
  connections: { env: 'BENCH_CONNECTIONS', default: '50', quick: '50', help: 'connections' },
  codes: {
    env: 'BENCH_CODES',
    default: '1000',
    quick: '150',
    help: 'codes (and so refresh tokens) made per system and round',
  },
  paced: {
    env: 'BENCH_PACED_SECONDS',
    default: '5',
    quick: '1',
    help: 'paced run of each client_credentials system at half its saturation rate (0: none)',
  },
  workloads: {
    env: 'BENCH_WORKLOADS',
    default: 'all',
    quick: 'all',
    help: 'workloads to run, comma-separated names or prefixes (e.g. client_credentials,jwks)',
  },
  pin: {
    env: 'BENCH_PIN',
    default: '0',
    quick: '0',
    help: '1: servers on CPU 0, load generator on CPU 1',
  },
  'port-base': {
    env: 'BENCH_PORT_BASE',
    default: '18100',
    quick: '18100',
    help: 'first of the ports used',
  },
  json: {
    env: 'BENCH_JSON',
    default: '',
    quick: '',
    help: 'where to write every run as JSON (default .tmp/bench/<date>-<commit>.json)',
  },
}

export function usage() {
  const lines = Object.entries(SPEC).map(
    ([name, spec]) =>
      `  --${name.padEnd(12)} ${spec.env.padEnd(22)} ${spec.help} (default ${spec.default || 'none'}, quick ${spec.quick || 'none'})`,
  )
  const quick = `  --${'quick'.padEnd(12)} ${''.padEnd(22)} short rounds, to check that it runs`
  return `Usage: npm run bench -- [--quick] [--flag=value ...]\n\n${quick}\n${lines.join('\n')}\n`
}

/** Reads and checks the settings; throws a message naming the bad one. */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean' },
      quick: { type: 'boolean' },
      // The latency model (scripts/bench-topology.mjs), dispatched by bench-suite.mjs: not ours.
      topology: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(SPEC).map((name) => [name, { type: 'string' }])),
    },
  })
  const quick = values.quick === true
  const raw = (name) =>
    values[name] ?? env[SPEC[name].env] ?? (quick ? SPEC[name].quick : SPEC[name].default)
  const number = (name, min) => {
    const value = Number(raw(name))
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be >= ${min}`)
    return value
  }
  const connections = number('connections', 1)
  if (!Number.isInteger(connections)) throw new Error('--connections must be an integer')
  const portBase = number('port-base', 1024)
  if (portBase + 30 > 65535) throw new Error('--port-base is too high')
  return {
    help: values.help === true,
    quick,
    seconds: number('seconds', 0.5),
    rounds: Math.floor(number('rounds', 1)),
    warmupSeconds: number('warmup', 0),
    connections,
    codes: Math.floor(number('codes', 10)),
    pacedSeconds: number('paced', 0),
    workloads: raw('workloads')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    pin: raw('pin') === '1',
    portBase,
    jsonPath: raw('json') || undefined,
  }
}
