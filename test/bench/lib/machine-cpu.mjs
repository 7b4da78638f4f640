// How busy the whole machine was during a run, from /proc/stat: shared machines make noise
// (teammates' test runs, the hypervisor taking time back as "steal"), and a reader needs to
// know whether a run was disturbed before trusting it.
import { readFileSync } from 'node:fs'

/** Cumulative jiffies of all CPUs: total, busy (not idle or iowait) and steal. */
export function machineJiffies() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  const busy = user + nice + system + irq + softirq
  return { total: busy + idle + iowait + steal, busy, steal }
}

/** Steal as a share of all CPU time between two readings (0..1). */
export function stealShare(before, after) {
  const total = after.total - before.total
  return total > 0 ? (after.steal - before.steal) / total : 0
}
