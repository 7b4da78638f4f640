// CPU time of a process and all its descendants, from /proc (Linux only). A server here is a
// Node process plus the workerd it starts: both must be counted, and nothing else (the load
// generator runs in the bench's own process, outside the tree).
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))

/** pid, parent pid and utime+stime (ticks) of every live process. */
function snapshot() {
  const processes = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited between readdir and read
    }
    // The command name (field 2) may contain spaces and parentheses: parse after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    processes.push({
      pid: Number(entry),
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
    })
  }
  return processes
}

/** CPU milliseconds used so far by `rootPid` and its live descendants (threads included). */
export function treeCpuMs(rootPid) {
  const processes = snapshot()
  const children = new Map()
  for (const p of processes) {
    if (!children.has(p.ppid)) children.set(p.ppid, [])
    children.get(p.ppid).push(p)
  }
  let ticks = 0
  const pending = processes.filter((p) => p.pid === rootPid)
  while (pending.length > 0) {
    const p = pending.pop()
    ticks += p.ticks
    pending.push(...(children.get(p.pid) ?? []))
  }
  return (ticks * 1000) / TICKS_PER_SECOND
}
