import { useId, useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import {
  ALL,
  CLIENT_TYPES,
  type Client,
  type ClientType,
  clientPath,
  isClientType,
  type Role,
  roleNames,
  typeOf,
} from './resources'
import { Loading, Page } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ResourceTable } from './ui/resource-table'
import { useLoad } from './ui/use-load'

/**
 * The Clients page: the `Client Type` select filters the list (Client-Credentials by default),
 * the toolbar has Add Client, and the list shows name, Client Id, status, roles and token
 * lifetime, with search and paging.
 */
export function ClientsPage() {
  const { app, route } = usePortal()
  const [type, setType] = useState<ClientType>(typeOf(route.query))
  const selectId = useId()
  const clients = useLoad(
    (api) =>
      Promise.all([
        api.get<ApiPage<Client>>(`${clientPath(type)}${ALL}`),
        api.get<ApiPage<Role>>('/roles'),
      ]),
    type,
  )
  const info = CLIENT_TYPES[type]
  const changeType = (value: string) => {
    if (!isClientType(value)) return
    setType(value)
    // The filter is in the address (back, reload, a shared link), without a navigation.
    history.replaceState(null, '', `/clients?type=${value}`)
  }
  return (
    <Page title="Clients">
      <div class="toolbar">
        <div class="field inline">
          <label for={selectId}>Client Type</label>
          <select
            id={selectId}
            value={type}
            onChange={(event: Event) => changeType((event.target as HTMLSelectElement).value)}
          >
            {Object.entries(CLIENT_TYPES).map(([value, { label }]) => (
              <option value={value} selected={value === type}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={() => app.navigate(`/clients/new?type=${type}`)}>
          Add Client
        </button>
      </div>
      <p class="hint">{info.summary}</p>
      {clients.data === undefined ? (
        <Loading error={clients.error} />
      ) : (
        <ResourceTable
          caption={`${info.label} clients`}
          items={clients.data[0].items}
          empty={`No ${info.label} clients yet.`}
          searchText={(client) => `${client.name} ${client.id}`}
          columns={[
            {
              header: 'Name',
              rowHeader: true,
              cell: (client) => <a href={`/clients/${type}/${client.id}`}>{client.name}</a>,
            },
            { header: 'Client Id', cell: (client) => <code>{client.id}</code> },
            { header: 'Status', cell: (client) => (client.enabled ? 'Enabled' : 'Disabled') },
            {
              header: 'Roles',
              cell: (client) => roleNames(clients.data?.[1].items ?? [], client.roleIds),
            },
            { header: 'Token Lifetime', cell: (client) => `${client.accessTokenLifetime} s` },
          ]}
        />
      )}
    </Page>
  )
}
