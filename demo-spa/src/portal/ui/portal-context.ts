import { createContext, useContext } from 'hono/jsx/dom'
import type { App } from '../../app'
import type { Route } from '../../router'

/** What every portal component can use: the app, the matched route, and the view's lifetime. */
export interface PortalContext {
  app: App
  route: Route
  /** Aborted when the view is replaced: requests and subscriptions stop with it. */
  signal: AbortSignal
  /**
   * Whether the page heading takes the focus when it appears (a navigation the user started);
   * the first heading that does so clears it, so later renders leave the focus alone.
   */
  focus: { pending: boolean }
}

export const PortalContextValue = createContext<PortalContext | null>(null)

/** The portal context of the current view. */
export function usePortal(): PortalContext {
  const context = useContext(PortalContextValue)
  if (!context) throw new Error('usePortal outside a portal view')
  return context
}
