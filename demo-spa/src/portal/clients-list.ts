import { h } from '../dom'
import { type Page, pageQuery } from './api'
import { PAGE_SIZE, pager, readSkip } from './pager'
import { page, portalView } from './portal-view'
import {
  CLIENT_KINDS,
  type Client,
  type ClientKind,
  isClientKind,
  type Role,
  roleNames,
} from './resources'

/** The kind in the query, client-credentials by default. */
export function kindOf(query: URLSearchParams): ClientKind {
  const kind = query.get('kind')
  return isClientKind(kind) ? kind : 'client-credentials'
}

/** The tenant's clients of one kind, a page at a time. */
export const clientsPage = portalView('Clients', async ({ app, query }) => {
  const kind = kindOf(query)
  const info = CLIENT_KINDS[kind]
  const skip = readSkip(query)
  const api = app.api()
  const [clients, roles] = await Promise.all([
    api.get<Page<Client>>(`/${info.collection}${pageQuery(skip, PAGE_SIZE)}`),
    api.get<Page<Role>>('/roles'),
  ])
  const kinds = h(
    'nav',
    { 'aria-label': 'Client types', class: 'tabs' },
    h(
      'ul',
      null,
      Object.entries(CLIENT_KINDS).map(([value, { label }]) =>
        h(
          'li',
          null,
          h(
            'a',
            { href: `/clients?kind=${value}`, 'aria-current': value === kind ? 'page' : undefined },
            label,
          ),
        ),
      ),
    ),
  )
  const table =
    clients.total === 0
      ? h('p', null, `No ${info.label.toLowerCase()} clients yet.`)
      : h(
          'table',
          null,
          h('caption', null, `${info.label} clients`),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Name', 'Client id', 'Status', 'Roles', 'Token lifetime'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            clients.items.map((client) =>
              h(
                'tr',
                null,
                h(
                  'th',
                  { scope: 'row' },
                  h('a', { href: `/clients/${kind}/${client.id}` }, client.name),
                ),
                h('td', null, h('code', null, client.id)),
                h('td', null, client.enabled ? 'Enabled' : 'Disabled'),
                h('td', null, roleNames(roles.items, client.roleIds)),
                h('td', null, `${client.accessTokenLifetime} s`),
              ),
            ),
          ),
        )
  return page(
    'Clients',
    kinds,
    h('p', { class: 'hint' }, info.summary),
    h(
      'p',
      null,
      h(
        'a',
        { href: `/clients/new?kind=${kind}`, class: 'button' },
        `Add ${info.label.toLowerCase()} client`,
      ),
    ),
    table,
    pager(clients.total, skip, (s) => `/clients?kind=${kind}&skip=${s}`),
  )
})
