// Memory of the `npm start` stack, read from /proc (Linux): which workerd process is which, their
// resident memory every second, and whether it levels off.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

function read(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** The inode of the socket listening on `port` (IPv4 or IPv6), from /proc/net. */
function listeningInodes(port) {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  const inodes = new Set()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      // local_address is ADDR:PORT, st 0A is LISTEN, inode is the tenth field.
      if (fields[1]?.endsWith(`:${hex}`) && fields[3] === '0A') inodes.add(fields[9])
    }
  }
  return inodes
}

function pids() {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name))
}

function processGroup(pid) {
  const stat = read(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  // Fields after the command name (which may hold spaces) start after the last ')'.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
}

function command(pid) {
  return (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean)
}

/** The pid whose open sockets include one listening on `port`. */
export function pidListeningOn(port) {
  const inodes = listeningInodes(port)
  for (const pid of pids()) {
    let fds
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
        if (inode !== undefined && inodes.has(inode)) return Number(pid)
      } catch {}
    }
  }
  return undefined
}

/**
 * The processes of the stack serving `port`: the workerd that listens on it is wrangler's dev
 * proxy; the other workerd of its process group runs the worker; node is wrangler (+ Vite).
 */
export function stackProcesses(port, listenerRole = 'dev-proxy') {
  const proxy = pidListeningOn(port)
  if (proxy === undefined) return []
  const group = processGroup(proxy)
  const found = []
  for (const pid of pids()) {
    if (processGroup(pid) !== group) continue
    const [binary = ''] = command(pid)
    const name = binary.split('/').at(-1)
    if (name === 'workerd') {
      found.push({ pid: Number(pid), role: Number(pid) === proxy ? listenerRole : 'worker' })
    } else if (name === 'node') {
      found.push({ pid: Number(pid), role: 'node' })
    }
  }
  return found
}

/** Resident set size in MB, or undefined when the process is gone. */
export function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '')
  return match === null ? undefined : Number(match[1]) / 1024
}

/** Samples the stack's processes every `intervalMs`; processes that appear later are added. */
export function sampleMemory(port, { intervalMs = 1000, listenerRole, heap } = {}) {
  const started = Date.now()
  const samples = []
  const seen = new Map()
  const take = () => {
    const at = (Date.now() - started) / 1000
    for (const process of stackProcesses(port, listenerRole)) {
      if (!seen.has(process.pid)) seen.set(process.pid, { ...process, firstSeenAt: at })
    }
    const rss = {}
    for (const [pid, process] of seen) {
      const mb = rssMb(pid)
      if (mb !== undefined) rss[`${process.role}:${pid}`] = Math.round(mb * 10) / 10
    }
    const sample = { at: Math.round(at * 10) / 10, rss }
    samples.push(sample)
    // The isolate's heap, when an inspector is attached (--inspect).
    heap?.().then(
      (mb) => {
        sample.heapUsedMb = mb.usedMb
      },
      () => {},
    )
  }
  take()
  const timer = setInterval(take, intervalMs)
  return {
    samples,
    processes: () => [...seen.values()],
    mark: () => samples.length,
    stop: () => clearInterval(timer),
  }
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length
  if (n < 2) return 0
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0)
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0)
  return sxx === 0 ? 0 : sxy / sxx
}

/**
 * Per process over the load phase: RSS at start, end and peak, the growth rate (MB/s) in the
 * first and the last third, and whether it levels off: the last third grows at most a quarter as
 * fast as the first, or under 0.5 MB/s.
 */
export function analyseMemory(samples, from, to, idleTo = samples.length) {
  const load = samples.slice(from, to)
  const keys = [...new Set(load.flatMap((sample) => Object.keys(sample.rss)))]
  const result = {}
  for (const key of keys) {
    const points = load
      .filter((sample) => sample.rss[key] !== undefined)
      .map((sample) => ({ x: sample.at, y: sample.rss[key] }))
    if (points.length < 6) continue
    const third = Math.floor(points.length / 3)
    const first = slope(points.slice(0, third))
    const last = slope(points.slice(-third))
    const idle = samples
      .slice(to, idleTo)
      .map((sample) => sample.rss[key])
      .filter(Boolean)
    result[key] = {
      startMb: points[0].y,
      endMb: points.at(-1).y,
      peakMb: Math.max(...points.map((p) => p.y)),
      afterIdleMb: idle.at(-1),
      firstThirdMbPerS: Math.round(first * 100) / 100,
      lastThirdMbPerS: Math.round(last * 100) / 100,
      levelsOff: last <= 0.5 || last <= first / 4,
    }
  }
  return result
}
