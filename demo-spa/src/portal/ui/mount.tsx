import type { FC } from 'hono/jsx/dom'
import { render } from 'hono/jsx/dom'
import type { View } from '../../app'
import { portalGate } from '../portal-view'
import { Page } from './page'
import { PortalContextValue } from './portal-context'

/**
 * A page of the clients portal as a view of the app: the component is rendered by hono/jsx/dom
 * into the view's container, with the portal context; only an Account Administrator of the
 * tenant gets it, anyone else a page that says which role is needed. The app renders the view
 * again when the session's gate changes (signed in, roles read).
 */
export function portalView(title: string, Content: FC): View {
  return {
    title,
    portal: true,
    render(context) {
      const container = document.createElement('div')
      const state = context.app.store.get()
      const gate = portalGate(state)
      const portal = {
        app: context.app,
        route: { params: context.params, query: context.query },
        signal: context.signal,
        focus: { pending: context.userInitiated },
      }
      render(
        <PortalContextValue.Provider value={portal}>
          {gate === 'admin' ? (
            <Content />
          ) : gate === 'not-admin' ? (
            <Page title="Account Administrator role required">
              <div class="note">
                <p>
                  The clients portal is only for Account Administrators of the tenant: you must have
                  the <strong>Account Administrator</strong> role to add and manage clients, users
                  and roles, and to read the audit log.
                </p>
                <p>
                  You are signed in with the roles: {state.access?.roles.join(', ') || 'none'}. Ask
                  an administrator of your tenant for the Account Administrator role.
                </p>
              </div>
            </Page>
          ) : (
            <Page title={title}>
              <p>
                {gate === 'signed-out'
                  ? 'The clients portal is for Account Administrators. Sign in to use it.'
                  : 'Checking your session…'}
              </p>
            </Page>
          )}
        </PortalContextValue.Provider>,
        container,
      )
      return container
    },
  }
}
