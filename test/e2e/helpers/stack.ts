import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '../../..')
export const SERVER = 'http://localhost:8787'
export const SPA = 'http://localhost:5173'
/** The example MCP server `npm start` runs beside the identity server. */
export const MCP_SERVER = 'http://localhost:8788'
export const PORTS = [8787, 5173, 8788] as const

export interface Stack {
  readonly child: ChildProcess
  /** Everything `npm start` printed so far. */
  output(): string
  /** Resolves with the exit code once `npm start` has exited. */
  readonly exited: Promise<number | null>
  /** Kills whatever is left of the process group and removes the state (always safe to call). */
  cleanup(): Promise<void>
}

/**
 * Runs the real `npm start` (fresh local D1/KV in a temp dir) in its own process group, and
 * waits until it says it is ready or exits.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'edge-identity-state-'))
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, EDGE_IDENTITY_STATE_DIR: stateDir, EDGE_IDENTITY_NO_WATCH: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const stack: Stack = {
    child,
    output: () => output,
    exited,
    async cleanup() {
      killGroup(child, 'SIGKILL')
      await waitForPortsFree(5000).catch(() => undefined)
      rmSync(stateDir, { recursive: true, force: true })
    },
  }
  const ready = await Promise.race([
    waitFor(() => output.includes('Press Ctrl-C to stop.'), 120_000).then(() => true),
    exited.then(() => false),
  ])
  if (!ready) return stack
  return stack
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}

/** True while any process of the stack's process group is alive. */
export function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false
  try {
    process.kill(-child.pid, 0)
    return true
  } catch {
    return false
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

export async function waitForPortsFree(timeoutMs: number): Promise<void> {
  await waitFor(async () => !(await Promise.all(PORTS.map(portOpen))).some(Boolean), timeoutMs)
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
