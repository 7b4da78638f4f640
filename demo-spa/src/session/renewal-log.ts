// The log of renewals the session page shows: when, how long, which tab did the network work,
// errors. Kept in sessionStorage so it survives the top-level fallback's round trip.

const LOG_KEY = 'edge-identity-demo:renewal-log'
const MAX_ENTRIES = 50

export type LogKind = 'renewed' | 'failed' | 'signed-in' | 'signed-out' | 'fallback' | 'info'

export interface LogEntry {
  at: number
  kind: LogKind
  text: string
  durationMs?: number
  /** True when this tab did the network work. */
  network?: boolean
  /** The tab that did the work (the library's tabId). */
  by?: string
  /** The library's error code. */
  code?: string
}

export type LogListener = (entries: readonly LogEntry[]) => void

/** The renewal log of this tab. */
export function createRenewalLog() {
  let entries: LogEntry[] = read()
  const listeners = new Set<LogListener>()
  return {
    entries: (): readonly LogEntry[] => entries,
    add(entry: Omit<LogEntry, 'at'>): void {
      entries = [{ at: Date.now(), ...entry }, ...entries].slice(0, MAX_ENTRIES)
      sessionStorage.setItem(LOG_KEY, JSON.stringify(entries))
      for (const listener of listeners) listener(entries)
    },
    clear(): void {
      entries = []
      sessionStorage.removeItem(LOG_KEY)
      for (const listener of listeners) listener(entries)
    },
    subscribe(listener: LogListener, signal?: AbortSignal): void {
      listeners.add(listener)
      signal?.addEventListener('abort', () => listeners.delete(listener), { once: true })
    },
  }
}

export type RenewalLog = ReturnType<typeof createRenewalLog>

function read(): LogEntry[] {
  try {
    const value = JSON.parse(sessionStorage.getItem(LOG_KEY) ?? '[]')
    return Array.isArray(value) ? value : []
  } catch {
    return []
  }
}
