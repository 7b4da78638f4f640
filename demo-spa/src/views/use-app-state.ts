import { useEffect, useState } from 'hono/jsx/dom'
import type { App } from '../app'
import type { LogEntry } from '../session/renewal-log'
import type { SessionState } from '../session/session-store'

/**
 * The session state, re-rendering the component when it changes, until the component goes or
 * `signal` (the view's) aborts. Effects run after the first paint, and the state may change in
 * between (a first-time visitor's session check answers at once): the state is read again when
 * the subscription starts, as useSyncExternalStore does.
 */
export function useSession(app: App, signal?: AbortSignal): SessionState {
  const [state, setState] = useState(app.store.get())
  useEffect(() => {
    const off = app.store.subscribe((next) => setState(next), signal)
    setState(app.store.get())
    return off
  }, [])
  return state
}

/** The renewal log's entries, newest first, kept current. */
export function useLogEntries(app: App, signal?: AbortSignal): readonly LogEntry[] {
  const [entries, setEntries] = useState(app.log.entries())
  useEffect(() => {
    const off = app.log.subscribe((next) => setEntries(next), signal)
    setEntries(app.log.entries())
    return off
  }, [])
  return entries
}
