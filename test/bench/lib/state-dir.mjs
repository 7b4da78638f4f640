// The run's scratch directory: bundles and D1/KV state, on tmpfs when there is one (local D1 on
// disk is fsync-bound and noisy, docs/performance.md). Its name carries the owner's pid, so a later
// run can remove what a killed run (SIGKILL: no exit hooks) left behind.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const BASE = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Creates `<base>/<prefix>-<pid>-XXXXXX`, removed when this process exits. */
export function createStateDir(prefix) {
  for (const entry of readdirSync(BASE)) {
    const match = new RegExp(`^${prefix}-(\\d+)-`).exec(entry)
    if (match && !isAlive(Number(match[1]))) {
      rmSync(path.join(BASE, entry), { recursive: true, force: true })
    }
  }
  const dir = mkdtempSync(path.join(BASE, `${prefix}-${process.pid}-`))
  // Runs last on every way out (Ctrl-C included): lib/children.mjs has stopped the servers.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}
