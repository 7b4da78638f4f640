import { useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import type { ApiResource } from './resources'
import { ConfirmDialog, Dialog } from './ui/dialog'
import { CheckboxField, NumberField, PortalForm, TextField, useForm } from './ui/form'
import { ErrorAlert, Loading, Page } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ResourceTable } from './ui/resource-table'
import { useListActions } from './ui/use-list-actions'
import { useLoad } from './ui/use-load'
import { createChecks, LIFETIME_MAX, LIFETIME_MIN } from './validate'

/**
 * The tenant's API resources (RFC 8707): the APIs and MCP servers clients name with `resource`.
 * Tokens for one carry its identifier as `aud`, only the scopes it defines, and its lifetime.
 */
export function ResourcesPage() {
  const { app } = usePortal()
  const resources = useLoad((api) => api.get<ApiPage<ApiResource>>('/resources?skip=0&count=1000'))
  const { open, setOpen, close, failure, act } = useListActions<
    { kind: 'add' } | { kind: 'edit' | 'delete'; resource: ApiResource }
  >()
  const remove = (resource: ApiResource) =>
    act(async () => {
      await app.api().delete(`/resources/${encodeURIComponent(resource.id)}`)
      resources.set((page) => ({
        items: page.items.filter((each) => each.id !== resource.id),
        total: page.total - 1,
      }))
    }, `Deleted the resource ${resource.name}.`)
  return (
    <Page title="Resources">
      <p class="hint">
        APIs and MCP servers of the tenant. A client names one with the resource parameter; its
        tokens are then for that resource only, with the scopes it defines.
      </p>
      {failure !== undefined && <ErrorAlert error={failure} />}
      <div class="toolbar">
        <button type="button" onClick={() => setOpen({ kind: 'add' })}>
          Add Resource
        </button>
      </div>
      {resources.data === undefined ? (
        <Loading error={resources.error} />
      ) : (
        <ResourceTable
          caption="API resources of the tenant"
          items={resources.data.items}
          empty="No resources yet."
          searchText={(resource) =>
            `${resource.name} ${resource.identifier} ${resource.scopes.join(' ')}`
          }
          columns={[
            { header: 'Name', rowHeader: true, cell: (resource) => resource.name },
            { header: 'Identifier', cell: (resource) => <code>{resource.identifier}</code> },
            { header: 'Scopes', cell: (resource) => resource.scopes.join(' ') || '—' },
            { header: 'Token Lifetime', cell: (resource) => `${resource.accessTokenLifetime} s` },
            {
              header: 'DPoP',
              cell: (resource) => (resource.requireDpop ? 'Required' : 'Optional'),
            },
            {
              header: 'Actions',
              cell: (resource) => (
                <span class="row-actions">
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={`Edit ${resource.name}`}
                    onClick={() => setOpen({ kind: 'edit', resource })}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="danger small"
                    aria-label={`Delete ${resource.name}`}
                    onClick={() => setOpen({ kind: 'delete', resource })}
                  >
                    Delete
                  </button>
                </span>
              ),
            },
          ]}
        />
      )}
      {(open?.kind === 'add' || open?.kind === 'edit') && (
        <ResourceDialog
          resource={open.kind === 'edit' ? open.resource : undefined}
          onClose={close}
          onSaved={(resource, isNew) => {
            resources.set((page) =>
              isNew
                ? { items: [...page.items, resource], total: page.total + 1 }
                : {
                    ...page,
                    items: page.items.map((each) => (each.id === resource.id ? resource : each)),
                  },
            )
            close()
            app.announce(`${isNew ? 'Added' : 'Saved'} the resource ${resource.name}.`)
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete the resource ${open.resource.name}?`}
          message="Clients can no longer get tokens for it; tokens already issued live out their lifetime."
          confirmLabel="Delete"
          onConfirm={() => remove(open.resource)}
          onCancel={close}
        />
      )}
    </Page>
  )
}

function ResourceDialog(props: {
  resource?: ApiResource
  onClose: () => void
  onSaved: (resource: ApiResource, isNew: boolean) => void
}) {
  const { app } = usePortal()
  const [draft, setDraft] = useState({
    identifier: props.resource?.identifier ?? '',
    name: props.resource?.name ?? '',
    scopes: props.resource?.scopes.join(' ') ?? '',
    accessTokenLifetime: String(props.resource?.accessTokenLifetime ?? LIFETIME_MAX),
    requireDpop: props.resource?.requireDpop ?? false,
  })
  const form = useForm(
    ['identifier', 'name', 'scopes', 'accessTokenLifetime', 'requireDpop'],
    async () => {
      const checks = createChecks()
      checks.required('identifier', draft.identifier)
      checks.required('name', draft.name)
      checks.lifetime('accessTokenLifetime', draft.accessTokenLifetime)
      checks.done()
      const body = {
        identifier: draft.identifier.trim(),
        name: draft.name.trim(),
        scopes: draft.scopes.split(/\s+/).filter((scope) => scope !== ''),
        accessTokenLifetime: Number(draft.accessTokenLifetime),
        requireDpop: draft.requireDpop,
      }
      const resource = props.resource
        ? await app
            .api()
            .put<ApiResource>(`/resources/${encodeURIComponent(props.resource.id)}`, body)
        : await app.api().post<ApiResource>('/resources', body)
      props.onSaved(resource, !props.resource)
    },
  )
  return (
    <Dialog
      title={props.resource ? `Edit ${props.resource.name}` : 'Add Resource'}
      onClose={props.onClose}
    >
      <PortalForm
        form={form}
        label="Resource"
        submitLabel="Save"
        extra={
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
        }
      >
        <TextField
          label="Identifier"
          required
          value={draft.identifier}
          errors={form.state.errors.identifier}
          hint="The URL clients send as resource, for example https://mcp.example.com/mcp."
          onChange={(identifier) => setDraft({ ...draft, identifier })}
        />
        <TextField
          label="Name"
          required
          value={draft.name}
          errors={form.state.errors.name}
          onChange={(name) => setDraft({ ...draft, name })}
        />
        <TextField
          label="Scopes"
          value={draft.scopes}
          errors={form.state.errors.scopes}
          hint="The scopes this resource defines, separated by spaces."
          onChange={(scopes) => setDraft({ ...draft, scopes })}
        />
        <NumberField
          label="Token Lifetime"
          min={LIFETIME_MIN}
          max={LIFETIME_MAX}
          value={draft.accessTokenLifetime}
          errors={form.state.errors.accessTokenLifetime}
          hint={`Seconds, ${LIFETIME_MIN} to ${LIFETIME_MAX}.`}
          onChange={(accessTokenLifetime) => setDraft({ ...draft, accessTokenLifetime })}
        />
        <CheckboxField
          label="Require DPoP"
          value={draft.requireDpop}
          errors={form.state.errors.requireDpop}
          hint="Tokens for this resource are always bound to the client's key."
          onChange={(requireDpop) => setDraft({ ...draft, requireDpop })}
        />
      </PortalForm>
    </Dialog>
  )
}
