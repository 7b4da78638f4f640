// The printed result: one table with a row per workload and system (medians over rounds) and, on
// ours' rows, the ratios the targets are about, each computed within a round (both systems under
// the same machine conditions) and then the median taken; then the targets and their verdicts.
import { median } from './stats.mjs'

/** Thresholds above which a run is flagged as disturbed by the rest of the machine. */
const DISTURBED_CORES = 0.25
const DISTURBED_STEAL = 0.1

/** Issue 14's targets. */
export const CPU_VS_FLOOR_MAX = 1.25
export const CACHED_VS_PEER_MIN = 1.5
export const PACED_P99_MAX_MS = 10

export const number = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '-'

/** Plain-text table: the first `leftColumns` columns are text, the others numbers. */
export function table(header, rows, leftColumns) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells) =>
    cells
      .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** Median over rounds of a/b for `field`, each measured in the same round and workload. */
export function ratio(runs, workload, a, b, field) {
  if (a === undefined || b === undefined) return Number.NaN
  const rounds = [...new Set(runs.map((r) => r.round))]
  return median(
    rounds.map((round) => {
      const find = (system) =>
        runs.find((r) => r.round === round && r.workload === workload && r.system === system)
      const top = find(a)
      const bottom = find(b)
      return top && bottom ? top[field] / bottom[field] : Number.NaN
    }),
  )
}

/** Medians of one workload's runs of one system, or undefined when it has none. */
export function medians(runs, workload, system) {
  const mine = runs.filter((r) => r.workload === workload && r.system === system)
  if (mine.length === 0) return undefined
  const of = (get) => median(mine.map(get))
  return {
    requestsPerSecond: of((r) => r.requestsPerSecond),
    p50: of((r) => r.latency.p50),
    p99: of((r) => r.latency.p99),
    p999: of((r) => r.latency.p999),
    max: Math.max(...mine.map((r) => r.latency.max)),
    cpuMsPerRequest: of((r) => r.cpuMsPerRequest),
    errors: mine.reduce((sum, r) => sum + r.errors, 0),
    responses: mine.reduce((sum, r) => sum + r.responses, 0),
  }
}

/**
 * The one table: per workload, a row for ours, the floor and the peer (or the peer's n/a), and
 * on ours' row the ratios CPU/floor, req/s vs peer and CPU vs peer. Answers text and the data.
 */
export function flowTable(runs, workloads, roundTrips) {
  const rows = []
  const data = []
  for (const workload of workloads) {
    const { ours, floor, peer } = workload.systems
    const cpuVsFloor = ratio(runs, workload.name, ours, floor, 'cpuMsPerRequest')
    const rpsVsFloor = ratio(runs, workload.name, ours, floor, 'requestsPerSecond')
    const rpsVsPeer = ratio(runs, workload.name, ours, peer, 'requestsPerSecond')
    const cpuVsPeer = ratio(runs, workload.name, ours, peer, 'cpuMsPerRequest')
    const entry = {
      workload: workload.name,
      ratios: { cpuVsFloor, rpsVsFloor, rpsVsPeer, cpuVsPeer },
    }
    for (const [role, system] of [
      ['ours', ours],
      ['floor', floor],
      ['peer', peer],
    ]) {
      const m = system === undefined ? undefined : medians(runs, workload.name, system)
      entry[role] = m === undefined ? null : { system, ...m }
      const d1 = roundTrips[`${workload.name} ${system}`] ?? '-'
      if (m === undefined) {
        if (role === 'peer')
          rows.push([workload.name, 'peer', 'n/a', '', '', '', '', '', '', '', '', '', ''])
        continue
      }
      const isOurs = role === 'ours'
      rows.push([
        role === 'ours' ? workload.name : '',
        system,
        number(m.requestsPerSecond),
        number(m.p50, 2),
        number(m.p99, 2),
        number(m.p999, 1),
        number(m.cpuMsPerRequest, 3),
        String(d1),
        `${m.errors}/${m.responses}`,
        isOurs ? number(cpuVsFloor, 2) : '',
        isOurs ? number(rpsVsFloor, 2) : '',
        isOurs ? number(rpsVsPeer, 2) : '',
        isOurs ? number(cpuVsPeer, 2) : '',
      ])
    }
    data.push(entry)
  }
  const text = table(
    [
      'workload',
      'system',
      'req/s',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'CPU ms/req',
      'D1 rt',
      'errors/resp',
      'CPU/floor',
      'req/s/floor',
      'req/s/peer',
      'CPU/peer',
    ],
    rows,
    2,
  )
  return { text, data }
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
      : `${disturbed.length} of ${runs.length} runs`
  return (
    `${summary}\nDisturbed (other > ${DISTURBED_CORES} cores or steal > ${DISTURBED_STEAL * 100}%): ` +
    `${which}. Compare CPU per request and ratios; rerun on a quiet machine before quoting req/s.`
  )
}
