import { useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import {
  type ClientType,
  type CreatedSecret,
  clientPath,
  formatDate,
  type Secret,
} from './resources'
import { ConfirmDialog, Dialog, SECRET_WARNING, ShownOnceDialog } from './ui/dialog'
import { PortalForm, TextField, useForm } from './ui/form'
import { ErrorAlert, Loading } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ResourceTable } from './ui/resource-table'
import { ExpirationField } from './ui/role-fields'
import { useLoad } from './ui/use-load'
import { expirationOf, oneYearAhead } from './validate'

/** How a secret is named in the page: its description, or the start of its id. */
const secretLabel = (secret: { id: string; description: string }) =>
  secret.description || `secret ${secret.id.slice(0, 8)}`

/**
 * A confidential client's secrets on its Details tab: listed (never their values), added with
 * Add Secret (the value shown once in the dialog) and deleted with a confirmation. Rotation: add
 * a new secret, move the application to it, then delete the old one.
 */
export function ClientSecrets(props: { type: ClientType; clientId: string }) {
  const { app } = usePortal()
  const path = `${clientPath(props.type, props.clientId)}/secrets`
  const secrets = useLoad((api) => api.get<ApiPage<Secret>>(path))
  const [adding, setAdding] = useState(false)
  const [draft, setDraft] = useState({ description: '', date: oneYearAhead(), never: false })
  const [shown, setShown] = useState<CreatedSecret | undefined>(undefined)
  const [deleting, setDeleting] = useState<Secret | undefined>(undefined)
  const [failure, setFailure] = useState<unknown>(undefined)

  const form = useForm(['description', 'expiration'], async () => {
    const expiration = expirationOf(draft.date, draft.never)
    const created = await app.api().post<CreatedSecret>(path, {
      description: draft.description.trim(),
      ...(expiration !== undefined && { expiration }),
    })
    const { value: _, ...listed } = created
    secrets.set((page) => ({
      items: [...page.items, { ...listed, createdAt: new Date().toISOString() }],
      total: page.total + 1,
    }))
    setAdding(false)
    setDraft({ description: '', date: oneYearAhead(), never: false })
    setShown(created)
  })

  const remove = async (secret: Secret) => {
    setDeleting(undefined)
    try {
      await app.api().delete(`${path}/${encodeURIComponent(secret.id)}`)
      secrets.set((page) => ({
        items: page.items.filter((each) => each.id !== secret.id),
        total: page.total - 1,
      }))
      setFailure(undefined)
      app.announce(`Deleted ${secretLabel(secret)}.`)
    } catch (error) {
      setFailure(error)
    }
  }

  return (
    <section aria-labelledby="secrets-heading">
      <h3 id="secrets-heading">Secrets</h3>
      {failure !== undefined && <ErrorAlert error={failure} />}
      <div class="toolbar">
        <button type="button" onClick={() => setAdding(true)}>
          Add Secret
        </button>
      </div>
      {secrets.data === undefined ? (
        <Loading error={secrets.error} />
      ) : (
        <ResourceTable
          caption="Secrets (never their values)"
          items={secrets.data.items}
          empty="No secrets: the client cannot get tokens until you add one."
          columns={[
            {
              header: 'Description',
              rowHeader: true,
              cell: (secret) => secret.description || <span class="muted">(no description)</span>,
            },
            {
              header: 'Expiration',
              cell: (secret) =>
                secret.expiration === null ? 'Never Expires' : formatDate(secret.expiration),
            },
            { header: 'Created', cell: (secret) => formatDate(secret.createdAt) },
            {
              header: 'Actions',
              cell: (secret) => (
                <button
                  type="button"
                  class="danger small"
                  aria-label={`Delete ${secretLabel(secret)}`}
                  onClick={() => setDeleting(secret)}
                >
                  Delete
                </button>
              ),
            },
          ]}
        />
      )}
      {adding && (
        <Dialog title="Add Secret" onClose={() => setAdding(false)}>
          <PortalForm
            form={form}
            label="New secret"
            submitLabel="Add"
            extra={
              <button type="button" class="secondary" onClick={() => setAdding(false)}>
                Cancel
              </button>
            }
          >
            <TextField
              label="Description"
              value={draft.description}
              errors={form.state.errors.description}
              hint="Optional: where the secret is used."
              onChange={(description) => setDraft({ ...draft, description })}
            />
            <ExpirationField
              date={draft.date}
              never={draft.never}
              errors={form.state.errors.expiration}
              onChange={(value) => setDraft({ ...draft, ...value })}
            />
          </PortalForm>
        </Dialog>
      )}
      {shown && (
        <ShownOnceDialog
          title="Client Secret"
          warning={SECRET_WARNING}
          values={[
            { label: 'Client Id', value: props.clientId },
            { label: 'Client Secret', value: shown.value },
          ]}
          onClose={() => setShown(undefined)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${secretLabel(deleting)}?`}
          message="Applications that use this secret are refused on their very next token request."
          confirmLabel="Delete"
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        />
      )}
    </section>
  )
}
