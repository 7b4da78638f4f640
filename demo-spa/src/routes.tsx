import type { Child } from 'hono/jsx/dom'
import { render } from 'hono/jsx/dom'
import type { View } from './app'
import { PORTAL_ROUTES } from './portal/routes-portal'
import type { RouteDefinition } from './router'
import { sessionPage } from './views/session-page'

/** A page without state: a heading and its content. */
function staticView(title: string, content: () => Child): View {
  return {
    title,
    render() {
      const container = document.createElement('div')
      render(
        <section aria-labelledby="page-heading">
          <h2 id="page-heading">{title}</h2>
          {content()}
        </section>,
        container,
      )
      return container
    },
  }
}

const callbackPage = staticView('Signing in', () => <p>Completing the sign-in…</p>)

export const notFoundPage = staticView('Not found', () => (
  <p>
    There is no such page. <a href="/">Go to the session page.</a>
  </p>
))

export const ROUTES: RouteDefinition<View>[] = [
  { pattern: '/', view: sessionPage },
  { pattern: '/callback', view: callbackPage },
  ...PORTAL_ROUTES,
]
