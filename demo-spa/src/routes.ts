import type { View } from './app'
import { h } from './dom'
import { page } from './portal/portal-view'
import { PORTAL_ROUTES } from './portal/routes-portal'
import type { RouteDefinition } from './router'
import { sessionPage } from './views/session-page'

const callbackPage: View = {
  title: 'Signing in',
  render: () => page('Signing in', h('p', null, 'Completing the sign-in…')),
}

export const notFoundPage: View = {
  title: 'Not found',
  render: () =>
    page(
      'Not found',
      h('p', null, 'There is no such page. ', h('a', { href: '/' }, 'Go to the session page.')),
    ),
}

export const ROUTES: RouteDefinition<View>[] = [
  { pattern: '/', view: sessionPage },
  { pattern: '/callback', view: callbackPage },
  ...PORTAL_ROUTES,
]
