import { isAdministrator, type SessionState } from '../session/session-store'

/** What the portal can show for a session state; the page re-renders when it changes. */
export type PortalGate = 'restoring' | 'signed-out' | 'loading-roles' | 'not-admin' | 'admin'

export function portalGate(state: SessionState): PortalGate {
  if (state.status === 'restoring') return 'restoring'
  if (state.status === 'signed-out') return 'signed-out'
  if (state.access === undefined) return 'loading-roles'
  return isAdministrator(state) ? 'admin' : 'not-admin'
}
