import type { View } from './app'
import { h } from './dom'
import { auditPage } from './portal/audit-page'
import { clientDetailPage } from './portal/client-detail'
import { editClientPage, newClientPage } from './portal/client-form'
import { clientsPage } from './portal/clients-list'
import { page } from './portal/portal-view'
import { rolesPage } from './portal/roles-page'
import { usersPage } from './portal/users-page'
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
  { pattern: '/clients', view: clientsPage },
  { pattern: '/clients/new', view: newClientPage },
  { pattern: '/clients/:kind/:id', view: clientDetailPage },
  { pattern: '/clients/:kind/:id/edit', view: editClientPage },
  { pattern: '/roles', view: rolesPage },
  { pattern: '/users', view: usersPage },
  { pattern: '/audit', view: auditPage },
]
