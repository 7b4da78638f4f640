import { useEffect, useState } from 'hono/jsx/dom'
import type { ManagementApi } from '../api'
import { usePortal } from './portal-context'

/** A resource being loaded: its value once there, the error otherwise. */
export interface Loaded<T> {
  data: T | undefined
  error: unknown
  /** Changes the loaded value in place (after a create, an edit or a delete). */
  set(update: (current: T) => T): void
  /** Loads again (after a change whose result the API does not answer). */
  reload(): void
}

/**
 * Loads from the management API when the component appears and whenever `key` changes. A
 * result that arrives after the view was replaced is dropped.
 */
export function useLoad<T>(load: (api: ManagementApi) => Promise<T>, key = ''): Loaded<T> {
  const { app, signal } = usePortal()
  const [state, setState] = useState<{ data?: T; error?: unknown }>({})
  const [generation, setGeneration] = useState(0)
  // Loads again when the key or the generation changes, not when `load` (a new closure) does.
  useEffect(() => {
    let current = true
    load(app.api()).then(
      (data) => {
        if (current && !signal.aborted) setState({ data })
      },
      (error: unknown) => {
        if (current && !signal.aborted) setState({ error })
      },
    )
    return () => {
      current = false
    }
  }, [key, generation])
  return {
    data: state.data,
    error: state.error,
    set: (update) =>
      setState((previous) =>
        previous.data === undefined ? previous : { data: update(previous.data) },
      ),
    reload: () => setGeneration((value) => value + 1),
  }
}
