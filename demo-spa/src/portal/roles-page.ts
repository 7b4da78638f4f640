import type { App } from '../app'
import { h } from '../dom'
import type { Page } from './api'
import { confirmAction, openDialog } from './dialog'
import { createPortalForm } from './form'
import { errorAlert, page, portalView } from './portal-view'
import type { Role } from './resources'

/** The tenant's roles: built-in ones (read-only) and custom ones (create, rename, delete). */
export const rolesPage = portalView('Roles', async ({ app }) => {
  const roles = await app.api().get<Page<Role>>('/roles')
  const status = h('div')
  const create = createPortalForm({ labelledBy: 'create-role-heading', submitLabel: 'Create role' })
  const name = create.text({ name: 'name', label: 'Name', required: true })
  const description = create.text({ name: 'description', label: 'Description', hint: 'Optional.' })
  create.onSubmit(async () => {
    const role = await app
      .api()
      .post<Role>('/roles', { name: name.read(), description: description.read() })
    app.navigate('/roles', { replace: true })
    app.announce(`Created the role ${role.name}.`)
  })

  return page(
    'Roles',
    h(
      'p',
      { class: 'hint' },
      'Roles are granted to clients and users; tokens carry their ids in the roles claim.',
    ),
    status,
    h(
      'table',
      null,
      h('caption', null, `${roles.total} roles`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Name', 'Description', 'Id', 'Kind', 'Actions'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        roles.items.map((role) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, role.name),
            h('td', null, role.description || '—'),
            h('td', null, h('code', null, role.id)),
            h('td', null, role.builtIn ? 'Built-in' : 'Custom'),
            h(
              'td',
              null,
              role.builtIn
                ? h('span', { class: 'muted' }, 'Cannot be changed')
                : roleActions(app, role, status),
            ),
          ),
        ),
      ),
    ),
    h('h3', { id: 'create-role-heading' }, 'Create a custom role'),
    create.finish([name.element, description.element]),
  )
})

function roleActions(app: App, role: Role, status: HTMLElement) {
  const rename: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'secondary small',
      'aria-label': `Rename ${role.name}`,
      onclick: () => renameRole(app, role, rename),
    },
    'Rename',
  )
  const remove: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'danger small',
      'aria-label': `Delete ${role.name}`,
      onclick: async () => {
        const confirmed = await confirmAction({
          title: `Delete the role ${role.name}?`,
          message: 'Users and clients that hold it lose it at once.',
          confirmLabel: 'Delete role',
          returnFocus: remove,
        })
        if (!confirmed) return
        try {
          await app.api().delete(`/roles/${encodeURIComponent(role.id)}`)
          app.navigate('/roles', { replace: true })
          app.announce(`Deleted the role ${role.name}.`)
        } catch (error) {
          status.replaceChildren(errorAlert(error))
          remove.focus()
        }
      },
    },
    'Delete',
  )
  return h('span', { class: 'row-actions' }, rename, remove)
}

/** A dialog with the role's name and description; saves with PUT. */
async function renameRole(app: App, role: Role, opener: HTMLElement): Promise<void> {
  const f = createPortalForm({ labelledBy: 'rename-heading', submitLabel: 'Save' })
  const name = f.text({ name: 'name', label: 'Name', value: role.name, required: true })
  const description = f.text({ name: 'description', label: 'Description', value: role.description })
  let saved: string | undefined
  let closeDialog: (value: string) => void = () => {}
  f.onSubmit(async () => {
    const updated = await app.api().put<Role>(`/roles/${encodeURIComponent(role.id)}`, {
      name: name.read(),
      description: description.read(),
    })
    saved = updated.name
    closeDialog('saved')
  })
  const form = f.finish([name.element, description.element])
  await openDialog({
    title: `Rename ${role.name}`,
    body: [h('span', { id: 'rename-heading', hidden: true }, 'Rename role'), form],
    returnFocus: opener,
    actions: (close) => {
      closeDialog = close
      return [
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => close('cancel') },
          'Cancel',
        ),
      ]
    },
    initialFocus: (dialog) => dialog.querySelector('input'),
  })
  if (saved !== undefined) {
    app.navigate('/roles', { replace: true })
    app.announce(`Renamed the role to ${saved}.`)
  }
}
