import type { View, ViewContext } from '../app'
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

/**
 * A page of the clients portal: rendered only for an Account Administrator of the tenant; anyone
 * else is told why they cannot see it.
 */
export function portalView(
  title: string,
  render: (context: ViewContext) => Promise<HTMLElement>,
): View {
  return {
    title,
    portal: true,
    async render(context) {
      const state = context.app.store.get()
      switch (portalGate(state)) {
        case 'restoring':
        case 'loading-roles':
          return page(title, h('p', null, 'Checking your session…'))
        case 'signed-out':
          return page(
            title,
            h('p', null, 'The clients portal is for Account Administrators. Sign in to use it.'),
          )
        case 'not-admin':
          return page(
            title,
            h(
              'p',
              { class: 'note' },
              'The clients portal is only for Account Administrators of the tenant. You are ' +
                `signed in with the roles: ${state.access?.roles.join(', ') || 'none'}. Ask an ` +
                'administrator of your tenant for the Account Administrator role.',
            ),
          )
        default:
          try {
            return await render(context)
          } catch (error) {
            return page(title, errorAlert(error))
          }
      }
    },
  }
}
