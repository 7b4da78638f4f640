// The printed result: one row per system and concurrency (medians over rounds), then the ratios
// the targets are about, each computed within a round (both systems under the same machine
// conditions) and then the median taken.
import { median } from './stats.mjs'

/** Suffix of a Miniflare system measured on the worker's own socket (no entry worker). */
export const DIRECT = '/direct'

/** Targets of issue 3 ("Performance"). */
export const TARGETS = [
  {
    label: 'ours CPU/token vs floor',
    numerator: ['ours', 'cpuMsPerRequest'],
    denominator: ['floor', 'cpuMsPerRequest'],
    test: (ratio) => ratio <= 1.25,
    goal: '<= 1.25',
  },
  {
    label: 'ours-cache req/s vs peer',
    numerator: ['ours-cache', 'requestsPerSecond'],
    denominator: ['peer', 'requestsPerSecond'],
    test: (ratio) => ratio >= 1,
    goal: '>= 1.00',
  },
]

/** Thresholds above which a run is flagged as disturbed by the rest of the machine. */
const DISTURBED_CORES = 0.25
const DISTURBED_STEAL = 0.1

/** Further ratios worth seeing; no target. */
const INFORMATION = [
  ['ours-cache CPU/token vs floor-cache', 'ours-cache', 'floor-cache', 'cpuMsPerRequest'],
  ['ours-cache CPU/token vs floor', 'ours-cache', 'floor', 'cpuMsPerRequest'],
  ['ours-cache CPU/token vs peer', 'ours-cache', 'peer', 'cpuMsPerRequest'],
  ['ours CPU/token vs peer', 'ours', 'peer', 'cpuMsPerRequest'],
  ['floor req/s vs peer', 'floor', 'peer', 'requestsPerSecond'],
]

const number = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '-'

/** Plain-text table: the first `leftColumns` columns are text, the others numbers. */
function table(header, rows, leftColumns) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells) =>
    cells
      .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** runs: [{ round, system, connections, ...runLoad result }] */
export function summarize(runs, systems, connections) {
  const pick = (system, c) => runs.filter((r) => r.system === system && r.connections === c)
  const rows = []
  for (const c of connections) {
    for (const system of systems) {
      const mine = pick(system, c)
      if (mine.length === 0) continue
      const of = (get) => median(mine.map(get))
      rows.push([
        String(c),
        system,
        number(of((r) => r.requestsPerSecond)),
        number(
          of((r) => r.latency.p50),
          2,
        ),
        number(
          of((r) => r.latency.p99),
          2,
        ),
        number(
          of((r) => r.latency.p999),
          1,
        ),
        number(Math.max(...mine.map((r) => r.latency.max)), 1),
        number(
          of((r) => r.cpuMsPerRequest),
          3,
        ),
        `${mine.reduce((sum, r) => sum + r.errors, 0)}/${mine.reduce((sum, r) => sum + r.responses, 0)}`,
      ])
    }
  }
  return table(
    [
      'c',
      'system',
      'req/s',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'max ms',
      'CPU ms/req',
      'errors/responses',
    ],
    rows,
    2,
  )
}

/** Median over rounds of numerator/denominator measured in the same round and concurrency. */
function ratio(runs, a, b, field, c) {
  const rounds = [...new Set(runs.map((r) => r.round))]
  return median(
    rounds.map((round) => {
      const find = (system) =>
        runs.find((r) => r.round === round && r.connections === c && r.system === system)
      const top = find(a)
      const bottom = find(b)
      return top && bottom ? top[field] / bottom[field] : Number.NaN
    }),
  )
}

/** The name a system's run has for `via`; the peer has no entry worker, so it has one name. */
const variant = (system, via) => (via === 'direct' && system !== 'peer' ? system + DIRECT : system)

/** The ratio table and, for each target and way in, whether it was met at every concurrency. */
export function ratios(runs, connections, vias) {
  const rows = []
  const verdicts = []
  const add = (label, a, b, field, target) => {
    for (const via of vias) {
      const values = connections.map((c) => ratio(runs, variant(a, via), variant(b, via), field, c))
      if (values.every((v) => !Number.isFinite(v))) continue
      const name = `${label}${via === 'direct' ? ` (${DIRECT.slice(1)})` : ''}`
      const cells = values.map((v) => number(v, 2))
      if (target === undefined) {
        rows.push([name, ...cells, '', ''])
        continue
      }
      const met = values.every((v) => target.test(v))
      verdicts.push({ label: name, met, values })
      rows.push([name, ...cells, target.goal, met ? 'met' : 'MISSED'])
    }
  }
  for (const target of TARGETS) {
    add(target.label, target.numerator[0], target.denominator[0], target.numerator[1], target)
  }
  for (const [label, a, b, field] of INFORMATION) add(label, a, b, field)
  const text = table(['ratio', ...connections.map((c) => `c=${c}`), 'target', 'verdict'], rows, 1)
  return { text, verdicts }
}

/** Cores busy with neither the server under test nor the load generator during a run. */
export function otherCores(run) {
  return Math.max(0, run.cores.machine - run.cores.server - run.cores.loadGenerator)
}

/** A few lines on how disturbed the runs were, naming the disturbed ones unless all were. */
export function noise(runs) {
  const disturbed = runs.filter((r) => otherCores(r) > DISTURBED_CORES || r.steal > DISTURBED_STEAL)
  const summary =
    `Noise: other processes used a median of ${number(median(runs.map(otherCores)), 2)} cores ` +
    `(max ${number(Math.max(...runs.map(otherCores)), 2)}), hypervisor steal median ` +
    `${number(median(runs.map((r) => r.steal * 100)), 0)}%.`
  if (disturbed.length === 0) return `${summary} No run was disturbed.`
  const which =
    disturbed.length === runs.length
      ? `all ${runs.length} runs`
      : disturbed.map((r) => `${r.system} c=${r.connections} round ${r.round}`).join(', ')
  return (
    `${summary}\nDisturbed (other > ${DISTURBED_CORES} cores or steal > ${DISTURBED_STEAL * 100}%): ` +
    `${which}.\nCompare CPU per request and ratios; rerun on a quiet machine before quoting req/s.`
  )
}
