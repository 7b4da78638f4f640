import type { Page as ApiPage } from './api'
import { InitialAccessTokensSection } from './initial-access-tokens'
import { ALL, formatDate, type ThirdPartyClient, type ThirdPartyClientChange } from './resources'
import { ThirdPartyPolicySection } from './third-party-policy'
import { ConfirmDialog } from './ui/dialog'
import { ErrorAlert, Loading, Page } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ResourceTable } from './ui/resource-table'
import { useListActions } from './ui/use-list-actions'
import { useLoad } from './ui/use-load'

const REGISTRATION_LABELS: Record<ThirdPartyClient['registration'], string> = {
  'metadata-document': 'Metadata document',
  dynamic: 'Dynamic registration',
}

/** The client's name, or its id when it registered without one. */
const nameOf = (client: ThirdPartyClient) => client.name || client.id

const clientPath = (client: ThirdPartyClient) =>
  `/third-party-clients/${encodeURIComponent(client.id)}`

/**
 * Clients that register themselves (issue 17): the tenant's policy for them, the clients
 * themselves (enable, disable, delete) and the initial access tokens of dynamic registration.
 */
export function ThirdPartyClientsPage() {
  return (
    <Page title="Third-party Clients">
      <p class="hint">
        Applications the tenant did not add itself: MCP clients and others identified by the URL of
        their metadata document, or registered with an initial access token. Users are asked for
        their consent before such a client signs them in.
      </p>
      <ThirdPartyPolicySection />
      <ThirdPartyClientsSection />
      <InitialAccessTokensSection />
    </Page>
  )
}

function ThirdPartyClientsSection() {
  const { app } = usePortal()
  const clients = useLoad((api) => api.get<ApiPage<ThirdPartyClient>>(`/third-party-clients${ALL}`))
  const { open, setOpen, close, failure, act } = useListActions<ThirdPartyClient>()
  const toggle = (client: ThirdPartyClient) =>
    act(async () => {
      const body: ThirdPartyClientChange = { enabled: !client.enabled }
      const saved = await app.api().patch<ThirdPartyClient>(clientPath(client), body)
      clients.set((page) => ({
        ...page,
        items: page.items.map((each) => (each.id === saved.id ? saved : each)),
      }))
      app.announce(`${saved.enabled ? 'Enabled' : 'Disabled'} ${nameOf(saved)}.`)
    })
  const remove = (client: ThirdPartyClient) =>
    act(
      async () => {
        await app.api().delete(clientPath(client))
        clients.set((page) => ({
          items: page.items.filter((each) => each.id !== client.id),
          total: page.total - 1,
        }))
      },
      `Deleted ${nameOf(client)}.`,
    )
  return (
    <section aria-labelledby="third-party-heading">
      <h3 id="third-party-heading">Clients</h3>
      {failure !== undefined && <ErrorAlert error={failure} />}
      {clients.data === undefined ? (
        <Loading error={clients.error} />
      ) : (
        <ResourceTable
          caption="Third-party clients of the tenant"
          items={clients.data.items}
          empty="No third-party clients yet."
          searchText={(client) => `${client.name} ${client.id}`}
          columns={[
            { header: 'Name', rowHeader: true, cell: nameOf },
            { header: 'Client Id', cell: (client) => <code>{client.id}</code> },
            {
              header: 'Registration',
              cell: (client) => REGISTRATION_LABELS[client.registration],
            },
            { header: 'Status', cell: (client) => (client.enabled ? 'Enabled' : 'Disabled') },
            { header: 'Created', cell: (client) => formatDate(client.createdAt) },
            {
              header: 'Actions',
              cell: (client) => (
                <span class="row-actions">
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={`${client.enabled ? 'Disable' : 'Enable'} ${nameOf(client)}`}
                    onClick={() => toggle(client)}
                  >
                    {client.enabled ? 'Disable' : 'Enable'}
                  </button>
                  <button
                    type="button"
                    class="danger small"
                    aria-label={`Delete ${nameOf(client)}`}
                    onClick={() => setOpen(client)}
                  >
                    Delete
                  </button>
                </span>
              ),
            },
          ]}
        />
      )}
      {open !== undefined && (
        <ConfirmDialog
          title={`Delete the client ${nameOf(open)}?`}
          message="Its tokens and grants end at once. A metadata-document client comes back the next time it signs a user in, unless the policy forbids its host."
          confirmLabel="Delete"
          onConfirm={() => remove(open)}
          onCancel={close}
        />
      )}
    </section>
  )
}
