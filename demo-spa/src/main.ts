// The demo SPA's entry: signs in with @edge-identity/client-lib (top-level redirect, PKCE),
// renews silently in a hidden iframe, and hosts the clients portal for Account Administrators.
import { createAuthClient } from '@edge-identity/client-lib'
import { dpop } from '@edge-identity/client-lib/dpop'
import { webMessage } from '@edge-identity/client-lib/web-message'
import type { App, View } from './app'
import { type DemoConfig, readConfig } from './config'
import { focusElement, h, replaceChildren } from './dom'
import { createManagementApi, type ManagementApi } from './portal/api'
import { portalGate } from './portal/portal-view'
import { resolve, startRouter } from './router'
import { notFoundPage, ROUTES } from './routes'
import { createRenewalLog } from './session/renewal-log'
import { createSessionController } from './session/session-controller'
import { createSessionStore } from './session/session-store'
import { mountHeader } from './views/header'

const element = (id: string) => document.getElementById(id) as HTMLElement
const viewContainer = element('view')
const status = element('status')

function start(config: DemoConfig): void {
  const auth = createAuthClient({
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: `${location.origin}/callback`,
    silentRedirectUri: `${location.origin}/silent-callback.html`,
    postLogoutRedirectUri: `${location.origin}/`,
    scope: 'openid profile email api',
    topLevelFallback: config.topLevelFallback,
    // The setting "Silent renewal with response_mode=web_message": no silent callback page.
    ...(config.webMessage && { silentTransport: webMessage() }),
    // The setting "DPoP": tokens bound to a key of this browser, kept in IndexedDB.
    ...(config.dpop && { tokenBinding: dpop() }),
  })
  const store = createSessionStore()
  const log = createRenewalLog()
  const session = createSessionController(auth, store, log, config)
  let managementApi: { tenantId: string; api: ManagementApi } | undefined

  const app: App = {
    config,
    auth,
    store,
    log,
    session,
    navigate: (href, options) => navigate(href, options),
    announce(message) {
      // Cleared first, so the same message twice is announced twice.
      status.textContent = ''
      setTimeout(() => {
        status.textContent = message
      }, 50)
    },
    api() {
      const tenantId = store.get().access?.tid
      if (tenantId === undefined) throw new Error('The access token names no tenant')
      if (managementApi?.tenantId !== tenantId)
        managementApi = { tenantId, api: createManagementApi(auth, config.issuer, tenantId) }
      return managementApi.api
    },
  }

  const header = mountHeader(element('nav'), element('account'), app)
  let current: { view: View; controller: AbortController } | undefined

  async function render(userInitiated: boolean): Promise<void> {
    current?.controller.abort()
    const match = resolve(ROUTES, new URL(location.href)) ?? {
      view: notFoundPage,
      route: { params: {}, query: new URLSearchParams() },
    }
    const controller = new AbortController()
    current = { view: match.view, controller }
    document.title = `${match.view.title} · edge-identity demo`
    header.markCurrent()
    viewContainer.setAttribute('aria-busy', 'true')
    const content = await match.view.render({
      ...match.route,
      app,
      signal: controller.signal,
      userInitiated,
    })
    if (controller.signal.aborted) return
    viewContainer.removeAttribute('aria-busy')
    replaceChildren(viewContainer, content)
    // Portal pages focus their heading themselves when it appears (portal/ui/page.tsx).
    if (userInitiated && !match.view.portal) focusElement(viewContainer.querySelector('h2'))
  }

  const navigate = startRouter((userInitiated) => {
    status.textContent = ''
    void render(userInitiated)
  })
  // Portal pages depend on who is signed in; other pages update themselves in place.
  store.subscribe((state, previous) => {
    if (current?.view.portal && portalGate(state) !== portalGate(previous)) void render(false)
  })

  if (location.pathname === '/callback') {
    void render(false)
    void session.completeCallback().then(() => render(false))
  } else {
    // RP-Initiated Logout returns with `state`; it has served its purpose.
    const url = new URL(location.href)
    if (url.pathname === '/' && url.searchParams.has('state')) {
      url.searchParams.delete('state')
      history.replaceState(null, '', url.pathname + url.search + url.hash)
    }
    void render(false)
    void session.restore()
  }
}

try {
  start(readConfig())
} catch (error) {
  replaceChildren(
    viewContainer,
    h('div', { class: 'alert', role: 'alert' }, h('strong', null, 'Error: '), String(error)),
  )
}
