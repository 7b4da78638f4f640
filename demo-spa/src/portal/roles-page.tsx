import { useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import type { Role } from './resources'
import { ConfirmDialog, Dialog } from './ui/dialog'
import { PortalForm, TextField, useForm } from './ui/form'
import { ErrorAlert, Loading, Page } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ResourceTable } from './ui/resource-table'
import { useListActions } from './ui/use-list-actions'
import { useLoad } from './ui/use-load'
import { createChecks } from './validate'

/** The tenant's roles: built-in ones (read-only) and custom ones (create, rename, delete). */
export function RolesPage() {
  const { app } = usePortal()
  const roles = useLoad((api) => api.get<ApiPage<Role>>('/roles'))
  const { open, setOpen, close, failure, act } = useListActions<
    { kind: 'add' } | { kind: 'rename' | 'delete'; role: Role }
  >()
  const remove = (role: Role) =>
    act(async () => {
      await app.api().delete(`/roles/${encodeURIComponent(role.id)}`)
      roles.set((page) => ({
        items: page.items.filter((each) => each.id !== role.id),
        total: page.total - 1,
      }))
    }, `Deleted the role ${role.name}.`)
  return (
    <Page title="Roles">
      <p class="hint">
        Roles are granted to clients and users; tokens carry their ids in the roles claim.
      </p>
      {failure !== undefined && <ErrorAlert error={failure} />}
      <div class="toolbar">
        <button type="button" onClick={() => setOpen({ kind: 'add' })}>
          Add Role
        </button>
      </div>
      {roles.data === undefined ? (
        <Loading error={roles.error} />
      ) : (
        <ResourceTable
          caption="Roles of the tenant"
          items={roles.data.items}
          empty="No roles."
          searchText={(role) => `${role.name} ${role.description}`}
          columns={[
            { header: 'Name', rowHeader: true, cell: (role) => role.name },
            { header: 'Description', cell: (role) => role.description || '—' },
            { header: 'Id', cell: (role) => <code>{role.id}</code> },
            { header: 'Kind', cell: (role) => (role.builtIn ? 'Built-in' : 'Custom') },
            {
              header: 'Actions',
              cell: (role) =>
                role.builtIn ? (
                  <span class="muted">Cannot be changed</span>
                ) : (
                  <span class="row-actions">
                    <button
                      type="button"
                      class="secondary small"
                      aria-label={`Rename ${role.name}`}
                      onClick={() => setOpen({ kind: 'rename', role })}
                    >
                      Rename
                    </button>
                    <button
                      type="button"
                      class="danger small"
                      aria-label={`Delete ${role.name}`}
                      onClick={() => setOpen({ kind: 'delete', role })}
                    >
                      Delete
                    </button>
                  </span>
                ),
            },
          ]}
        />
      )}
      {(open?.kind === 'add' || open?.kind === 'rename') && (
        <RoleDialog
          role={open.kind === 'rename' ? open.role : undefined}
          onClose={close}
          onSaved={(role, isNew) => {
            roles.set((page) =>
              isNew
                ? { items: [...page.items, role], total: page.total + 1 }
                : { ...page, items: page.items.map((each) => (each.id === role.id ? role : each)) },
            )
            close()
            app.announce(`${isNew ? 'Added' : 'Saved'} the role ${role.name}.`)
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete the role ${open.role.name}?`}
          message="Users and clients that hold it lose it at once."
          confirmLabel="Delete"
          onConfirm={() => remove(open.role)}
          onCancel={close}
        />
      )}
    </Page>
  )
}

function RoleDialog(props: {
  role?: Role
  onClose: () => void
  onSaved: (role: Role, isNew: boolean) => void
}) {
  const { app } = usePortal()
  const [draft, setDraft] = useState({
    name: props.role?.name ?? '',
    description: props.role?.description ?? '',
  })
  const form = useForm(['name', 'description'], async () => {
    const checks = createChecks()
    checks.required('name', draft.name)
    checks.done()
    const body = { name: draft.name.trim(), description: draft.description.trim() }
    const role = props.role
      ? await app.api().put<Role>(`/roles/${encodeURIComponent(props.role.id)}`, body)
      : await app.api().post<Role>('/roles', body)
    props.onSaved(role, !props.role)
  })
  return (
    <Dialog title={props.role ? `Rename ${props.role.name}` : 'Add Role'} onClose={props.onClose}>
      <PortalForm
        form={form}
        label="Role"
        submitLabel="Save"
        extra={
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
        }
      >
        <TextField
          label="Name"
          required
          value={draft.name}
          errors={form.state.errors.name}
          onChange={(name) => setDraft({ ...draft, name })}
        />
        <TextField
          label="Description"
          value={draft.description}
          errors={form.state.errors.description}
          hint="Optional."
          onChange={(description) => setDraft({ ...draft, description })}
        />
      </PortalForm>
    </Dialog>
  )
}
