import type { App } from '../app'
import { h, uniqueId } from '../dom'
import { type Page, pageQuery } from './api'
import { confirmAction, showOnce } from './dialog'
import { createPortalForm } from './form'
import { PAGE_SIZE, pager, readSkip } from './pager'
import { errorAlert, page, portalView } from './portal-view'
import { type CreatedUser, formatDate, type Role, roleNames, type User } from './resources'

/** The tenant's users: list, create (password or invitation link), enable/disable, delete. */
export const usersPage = portalView('Users', async ({ app, query }) => {
  const skip = readSkip(query)
  const api = app.api()
  const [users, roles] = await Promise.all([
    api.get<Page<User>>(`/users${pageQuery(skip, PAGE_SIZE)}`),
    api.get<Page<Role>>('/roles'),
  ])
  const status = h('div')
  const here = `/users${skip ? `?skip=${skip}` : ''}`
  const table =
    users.total === 0
      ? h('p', null, 'No users yet.')
      : h(
          'table',
          null,
          h('caption', null, 'Users of the tenant'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['Email', 'Name', 'Status', 'Roles', 'Password', 'Actions'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            null,
            users.items.map((user) =>
              h(
                'tr',
                null,
                h('th', { scope: 'row' }, user.email),
                h('td', null, user.name || '—'),
                h('td', null, user.enabled ? 'Enabled' : 'Disabled'),
                h('td', null, roleNames(roles.items, user.roleIds)),
                h('td', null, user.hasPassword ? 'Set' : 'Invitation pending'),
                h('td', null, userActions(app, user, status, here)),
              ),
            ),
          ),
        )
  return page(
    'Users',
    status,
    table,
    pager(users.total, skip, (s) => `/users?skip=${s}`),
    createUserForm(app, roles.items, here),
  )
})

function userActions(app: App, user: User, status: HTMLElement, here: string) {
  const toggle: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'secondary small',
      'aria-label': `${user.enabled ? 'Disable' : 'Enable'} ${user.email}`,
      onclick: async () => {
        try {
          await app.api().put<User>(`/users/${encodeURIComponent(user.id)}`, {
            email: user.email,
            name: user.name,
            enabled: !user.enabled,
            roleIds: user.roleIds,
          })
          app.navigate(here, { replace: true })
          app.announce(`${user.enabled ? 'Disabled' : 'Enabled'} ${user.email}.`)
        } catch (error) {
          status.replaceChildren(errorAlert(error))
          toggle.focus()
        }
      },
    },
    user.enabled ? 'Disable' : 'Enable',
  )
  const remove: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'danger small',
      'aria-label': `Delete ${user.email}`,
      onclick: async () => {
        const confirmed = await confirmAction({
          title: `Delete ${user.email}?`,
          message:
            'Their sessions end and their tokens stop working at once. This cannot be undone.',
          confirmLabel: 'Delete user',
          returnFocus: remove,
        })
        if (!confirmed) return
        try {
          await app.api().delete(`/users/${encodeURIComponent(user.id)}`)
          app.navigate(here, { replace: true })
          app.announce(`Deleted ${user.email}.`)
        } catch (error) {
          status.replaceChildren(errorAlert(error))
          remove.focus()
        }
      },
    },
    'Delete',
  )
  return h('span', { class: 'row-actions' }, toggle, remove)
}

function createUserForm(app: App, roles: Role[], here: string): HTMLElement {
  const f = createPortalForm({ labelledBy: 'create-user-heading', submitLabel: 'Create user' })
  const email = f.text({ name: 'email', label: 'Email', type: 'email', required: true })
  const name = f.text({ name: 'name', label: 'Name', hint: 'Optional.' })
  const roleIds = f.roles({ roles, selected: [] })
  const password = f.text({
    name: 'password',
    label: 'Password',
    type: 'password',
    autocomplete: 'new-password',
    hint: 'The user signs in with it at once.',
  })
  const group = uniqueId('how')
  const byPassword = h('input', {
    type: 'radio',
    name: group,
    id: `${group}-password`,
    value: 'password',
    checked: true,
  })
  const byInvitation = h('input', {
    type: 'radio',
    name: group,
    id: `${group}-invitation`,
    value: 'invitation',
  })
  const sync = () => {
    password.element.hidden = byInvitation.checked
  }
  byPassword.addEventListener('change', sync)
  byInvitation.addEventListener('change', sync)
  const how = h(
    'fieldset',
    { class: 'field' },
    h('legend', null, 'First password'),
    h(
      'div',
      { class: 'check' },
      byPassword,
      h('label', { for: byPassword.id }, 'Set a password now'),
    ),
    h(
      'div',
      { class: 'check' },
      byInvitation,
      h(
        'label',
        { for: byInvitation.id },
        'Create an invitation link (valid 7 days) for the user to set it',
      ),
    ),
  )
  f.onSubmit(async () => {
    const created = await app.api().post<CreatedUser>('/users', {
      email: email.read(),
      name: name.read(),
      roleIds: roleIds.read(),
      ...(byPassword.checked && { password: password.read() }),
    })
    if (created.invitationUrl) {
      await showOnce({
        title: 'User created',
        warning:
          'This invitation link is shown only now. Send it to the user over a channel you trust; ' +
          `it works once, until ${formatDate(created.invitationExpiration)}.`,
        values: [{ label: 'Invitation link', value: created.invitationUrl, id: 'invitation-url' }],
      })
    }
    app.navigate(here, { replace: true })
    app.announce(`Created the user ${created.email}.`)
  })
  return h(
    'section',
    { 'aria-labelledby': 'create-user-heading' },
    h('h3', { id: 'create-user-heading' }, 'Add a user'),
    f.finish([email.element, name.element, roleIds.element, how, password.element]),
  )
}
