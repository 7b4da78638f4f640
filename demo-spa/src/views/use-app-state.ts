import { useEffect, useState } from 'hono/jsx/dom'
import type { App } from '../app'
import type { LogEntry } from '../session/renewal-log'
import type { SessionState } from '../session/session-store'

/**
 * The session state, re-rendering the component when it changes, until the component goes or
 * `signal` (the view's) aborts.
 */
export function useSession(app: App, signal?: AbortSignal): SessionState {
  const [state, setState] = useState(app.store.get())
  useEffect(() => app.store.subscribe((next) => setState(next), signal), [])
  return state
}

/** The renewal log's entries, newest first, kept current. */
export function useLogEntries(app: App, signal?: AbortSignal): readonly LogEntry[] {
  const [entries, setEntries] = useState(app.log.entries())
  useEffect(() => app.log.subscribe((next) => setEntries(next), signal), [])
  return entries
}
