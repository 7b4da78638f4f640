import { type Child, h } from '../dom'
import { isAdministrator, type SessionState } from '../session/session-store'
import { ApiProblem } from './api'

/** What the portal can show for a session state; the page re-renders when it changes. */
export type PortalGate = 'restoring' | 'signed-out' | 'loading-roles' | 'not-admin' | 'admin'

export function portalGate(state: SessionState): PortalGate {
  if (state.status === 'restoring') return 'restoring'
  if (state.status === 'signed-out') return 'signed-out'
  if (state.access === undefined) return 'loading-roles'
  return isAdministrator(state) ? 'admin' : 'not-admin'
}

/** A page: its heading (focused after navigation) and content. */
export function page(title: string, ...content: Child[]): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'page-heading' },
    h('h2', { id: 'page-heading' }, title),
    content,
  )
}

/** An error alert, with the API's problem title and detail. */
export function errorAlert(error: unknown): HTMLElement {
  const text =
    error instanceof ApiProblem
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error)
  return h('div', { class: 'alert', role: 'alert' }, h('strong', null, 'Error: '), text)
}
