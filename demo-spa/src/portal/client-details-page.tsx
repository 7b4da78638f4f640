import { useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import { AuditTable } from './audit-page'
import { ClientSecrets } from './client-secrets'
import { ClientSettingsFields, draftOf, settingNames, settingsBody } from './client-settings'
import {
  CLIENT_TYPES,
  type Client,
  type ClientType,
  clientPath,
  formatDate,
  isClientType,
  type Role,
} from './resources'
import { ConfirmDialog, CopyField } from './ui/dialog'
import { PortalForm, useForm } from './ui/form'
import { ErrorAlert, Loading, Page } from './ui/page'
import { usePortal } from './ui/portal-context'
import { Tabs } from './ui/tabs'
import { useLoad } from './ui/use-load'

/** A client, opened from the list: its Details tab (settings, secrets, Delete Client). */
export function ClientDetailsPage() {
  const { route } = usePortal()
  const type = route.params.type
  const id = route.params.id ?? ''
  if (!isClientType(type)) return <Page title="Not found">There is no such client type.</Page>
  return <ClientDetails type={type} id={id} />
}

function ClientDetails(props: { type: ClientType; id: string }) {
  const { type, id } = props
  const loaded = useLoad((api) =>
    Promise.all([api.get<Client>(clientPath(type, id)), api.get<ApiPage<Role>>('/roles')]),
  )
  if (loaded.data === undefined)
    return (
      <Page title="Client">
        <Loading error={loaded.error} />
      </Page>
    )
  const [client, roles] = loaded.data
  return (
    <Page title={client.name}>
      <p>
        <a href={`/clients?type=${type}`}>All {CLIENT_TYPES[type].label} clients</a>
      </p>
      <CopyField label="Client Id" value={client.id} id="client-id" />
      <Tabs
        label={`${client.name}`}
        tabs={[
          {
            label: 'Details',
            panel: () => (
              <ClientDetailsTab
                type={type}
                client={client}
                roles={roles.items}
                onSaved={(saved) => loaded.set(([, r]) => [saved, r])}
              />
            ),
          },
          {
            label: 'Audit Log',
            panel: () => <AuditTable targetId={client.id} caption={`Events of ${client.name}`} />,
          },
        ]}
      />
    </Page>
  )
}

function ClientDetailsTab(props: {
  type: ClientType
  client: Client
  roles: Role[]
  onSaved: (client: Client) => void
}) {
  const { app } = usePortal()
  const { type, client } = props
  const info = CLIENT_TYPES[type]
  const [draft, setDraft] = useState(draftOf(client))
  const [confirming, setConfirming] = useState(false)
  const [failure, setFailure] = useState<unknown>(undefined)
  const form = useForm(settingNames(type), async () => {
    const body = settingsBody(type, draft)
    const saved = await app.api().put<Client>(clientPath(type, client.id), body)
    props.onSaved(saved)
    app.announce(`Saved ${saved.name}.`)
  })
  const remove = async () => {
    setConfirming(false)
    try {
      await app.api().delete(clientPath(type, client.id))
      app.navigate(`/clients?type=${type}`)
      app.announce(`Deleted the client ${client.name}.`)
    } catch (error) {
      setFailure(error)
    }
  }
  return (
    <>
      <p class="hint">
        {info.label} client, created {formatDate(client.createdAt)}, last changed{' '}
        {formatDate(client.updatedAt)}.
      </p>
      <section aria-labelledby="settings-heading">
        <h3 id="settings-heading">Settings</h3>
        <PortalForm form={form} label="Settings" submitLabel="Save">
          <ClientSettingsFields
            type={type}
            draft={draft}
            onChange={setDraft}
            roles={props.roles}
            errors={form.state.errors}
            showEnabled
            showRoles
          />
        </PortalForm>
      </section>
      {info.secrets && <ClientSecrets type={type} clientId={client.id} />}
      <section aria-labelledby="delete-heading">
        <h3 id="delete-heading">Delete</h3>
        {failure !== undefined && <ErrorAlert error={failure} />}
        <p>Its secrets stop working at once and its tokens are no longer accepted.</p>
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Delete Client
        </button>
      </section>
      {confirming && (
        <ConfirmDialog
          title={`Delete ${client.name}?`}
          message="Its secrets stop working at once and its tokens are no longer accepted. This cannot be undone."
          confirmLabel="Delete"
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      )}
    </>
  )
}
