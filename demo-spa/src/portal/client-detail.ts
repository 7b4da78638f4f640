import type { App } from '../app'
import { type Child, definitionList, h } from '../dom'
import type { Page } from './api'
import { clientSecrets } from './client-secrets'
import { confirmAction, copyableValue } from './dialog'
import { errorAlert, page, portalView } from './portal-view'
import {
  CLIENT_KINDS,
  type Client,
  type ClientKind,
  formatDate,
  isClientKind,
  type Role,
  roleNames,
} from './resources'

/** One client: its settings, Edit and Delete, and its secrets when its kind has them. */
export const clientDetailPage = portalView('Client', async ({ app, params, signal }) => {
  const kind = params.kind
  if (!isClientKind(kind)) throw new Error(`Unknown client type ${kind}`)
  const info = CLIENT_KINDS[kind]
  const api = app.api()
  const [client, roles] = await Promise.all([
    api.get<Client>(`/${info.collection}/${encodeURIComponent(params.id ?? '')}`),
    api.get<Page<Role>>('/roles'),
  ])
  const status = h('div')
  const remove = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      onclick: () => deleteClient(app, kind, client, remove, status),
    },
    'Delete client',
  )
  return page(
    client.name,
    status,
    copyableValue('Client id', client.id, 'client-id'),
    definitionList(settingsOf(kind, client, roles.items)),
    h(
      'p',
      { class: 'actions' },
      h('a', { href: `/clients/${kind}/${client.id}/edit`, class: 'button' }, 'Edit client'),
      remove,
      h('a', { href: `/clients?kind=${kind}` }, `All ${info.label.toLowerCase()} clients`),
    ),
    info.secrets && (await clientSecrets(app, kind, client.id, signal)),
  )
})

function settingsOf(kind: ClientKind, client: Client, roles: Role[]): [string, Child][] {
  const info = CLIENT_KINDS[kind]
  const list = (values: string[] | undefined) =>
    values && values.length > 0
      ? h(
          'ul',
          { class: 'plain' },
          values.map((v) => h('li', null, h('code', null, v))),
        )
      : 'None'
  return [
    ['Type', info.label],
    ['Status', client.enabled ? 'Enabled' : 'Disabled'],
    ['Token lifetime', `${client.accessTokenLifetime} seconds`],
    ['Roles', roleNames(roles, client.roleIds)],
    ...(info.browser
      ? ([
          ['Redirect URLs', list(client.redirectUris)],
          ['Logout redirect URLs', list(client.postLogoutRedirectUris)],
        ] as [string, Child][])
      : []),
    ...(info.cors
      ? ([['CORS origins', list(client.allowedCorsOrigins)]] as [string, Child][])
      : []),
    ...(info.refresh
      ? ([['Refresh tokens', client.allowRefreshToken ? 'Allowed' : 'Not allowed']] as [
          string,
          Child,
        ][])
      : []),
    ['Created', formatDate(client.createdAt)],
    ['Updated', formatDate(client.updatedAt)],
  ]
}

async function deleteClient(
  app: App,
  kind: ClientKind,
  client: Client,
  button: HTMLElement,
  status: HTMLElement,
): Promise<void> {
  const confirmed = await confirmAction({
    title: `Delete ${client.name}?`,
    message:
      'Its secrets stop working at once and its tokens are no longer accepted. This cannot be undone.',
    confirmLabel: 'Delete client',
    returnFocus: button,
  })
  if (!confirmed) return
  try {
    await app.api().delete(`/${CLIENT_KINDS[kind].collection}/${encodeURIComponent(client.id)}`)
    app.navigate(`/clients?kind=${kind}`)
    app.announce(`Deleted the client ${client.name}.`)
  } catch (error) {
    status.replaceChildren(errorAlert(error))
    button.focus()
  }
}
