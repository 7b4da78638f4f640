import type { AuthClient } from '@edge-identity/client-lib'
import type { DemoConfig } from './config'
import type { ManagementApi } from './portal/api'
import type { Route } from './router'
import type { RenewalLog } from './session/renewal-log'
import type { SessionController } from './session/session-controller'
import type { SessionStore } from './session/session-store'

/** What every view can use. */
export interface App {
  config: DemoConfig
  auth: AuthClient
  store: SessionStore
  log: RenewalLog
  session: SessionController
  /** Goes to a path of the app (History API). */
  navigate(href: string, options?: { replace?: boolean }): void
  /** Says something in the page's status region (a polite live region). */
  announce(message: string): void
  /** The management API of the signed-in administrator's tenant. */
  api(): ManagementApi
}

export interface ViewContext extends Route {
  app: App
  /** Aborted when the view is replaced: subscriptions and timers stop with it. */
  signal: AbortSignal
  /** A navigation the user started (the page heading then takes the focus). */
  userInitiated: boolean
}

/** A page of the app; `portal` pages need an Account Administrator. */
export interface View {
  title: string
  portal?: boolean
  render(context: ViewContext): HTMLElement | Promise<HTMLElement>
}
