// The server side of lib/children.mjs: how a server process says it is ready and how it stops.

/** The line that tells lib/children.mjs a server is listening; JSON details follow. */
export const READY_PREFIX = '@@bench-ready '

const DISPOSE_DEADLINE_MS = 2000

/** Tells the bench this server is ready, with details such as its URL. */
export function announceReady(details) {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(details)}\n`)
}

/**
 * Exit cleanly on SIGTERM/SIGINT, and also when the parent bench disappears
 * (killed with SIGKILL, say), so no workerd is left holding a port.
 */
export function stopWith(dispose) {
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    // A dispose that hangs must not keep the process (and its port) alive.
    setTimeout(() => process.exit(1), DISPOSE_DEADLINE_MS).unref()
    await dispose().catch(() => {})
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  const parent = process.ppid
  setInterval(() => process.ppid !== parent && stop(), 500).unref()
}
