import { useState } from 'hono/jsx/dom'
import type { Page as ApiPage } from './api'
import {
  ACCOUNT_MEMBER,
  ALL,
  type CreatedUser,
  formatDate,
  type PasswordResetLink,
  type Role,
  roleNames,
  type User,
} from './resources'
import { ConfirmDialog, Dialog, ShownOnceDialog } from './ui/dialog'
import { Check, CheckboxField, Fieldset, PortalForm, TextField, useForm } from './ui/form'
import { ErrorAlert, Loading, Page } from './ui/page'
import { usePortal } from './ui/portal-context'
import { ResourceTable } from './ui/resource-table'
import { RolesField } from './ui/role-fields'
import { useListActions } from './ui/use-list-actions'
import { useLoad } from './ui/use-load'
import { createChecks } from './validate'

/** What the page has open: one dialog at a time. */
type Open =
  | { kind: 'add' }
  | { kind: 'edit' | 'password' | 'delete' | 'passkeys'; user: User }
  | { kind: 'shown'; title: string; warning: string; label: string; value: string }

/**
 * The tenant's users: invite or create (Add User), edit name, email, roles and enabled state
 * (Edit), set a password or make a reset link (shown once), remove their passkeys (a lost
 * device), delete.
 */
export function UsersPage() {
  const { app } = usePortal()
  const loaded = useLoad((api) =>
    Promise.all([api.get<ApiPage<User>>(`/users${ALL}`), api.get<ApiPage<Role>>('/roles')]),
  )
  const { open, setOpen, close, failure, act } = useListActions<Open>()
  const replaceUser = (user: User) =>
    loaded.set(([users, roles]) => [
      { ...users, items: users.items.map((each) => (each.id === user.id ? user : each)) },
      roles,
    ])

  const toggle = (user: User) =>
    act(async () => {
      const saved = await app.api().put<User>(`/users/${encodeURIComponent(user.id)}`, {
        email: user.email,
        name: user.name,
        enabled: !user.enabled,
        roleIds: user.roleIds,
      })
      replaceUser(saved)
      app.announce(`${saved.enabled ? 'Enabled' : 'Disabled'} ${saved.email}.`)
    })
  const resetLink = (user: User) =>
    act(async () => {
      const link = await app
        .api()
        .post<PasswordResetLink>(`/users/${encodeURIComponent(user.id)}/password-reset`, {})
      setOpen({
        kind: 'shown',
        title: 'Password Reset Link',
        warning:
          'This link is shown only now. Send it to the user over a channel you trust; it works ' +
          `once, until ${formatDate(link.expiration)}.`,
        label: 'Reset Link',
        value: link.resetUrl,
      })
    })
  const removePasskeys = (user: User) =>
    act(async () => {
      await app.api().delete(`/users/${encodeURIComponent(user.id)}/passkeys`)
      replaceUser({ ...user, passkeys: 0 })
      app.announce(`Removed the passkeys of ${user.email}.`)
    })
  const remove = (user: User) =>
    act(async () => {
      await app.api().delete(`/users/${encodeURIComponent(user.id)}`)
      loaded.set(([users, roles]) => [
        { items: users.items.filter((each) => each.id !== user.id), total: users.total - 1 },
        roles,
      ])
      app.announce(`Deleted ${user.email}.`)
    })

  if (loaded.data === undefined)
    return (
      <Page title="Users">
        <Loading error={loaded.error} />
      </Page>
    )
  const [users, roles] = loaded.data
  return (
    <Page title="Users">
      {failure !== undefined && <ErrorAlert error={failure} />}
      <div class="toolbar">
        <button type="button" onClick={() => setOpen({ kind: 'add' })}>
          Add User
        </button>
      </div>
      <ResourceTable
        caption="Users of the tenant"
        items={users.items}
        empty="No users yet."
        searchText={(user) => `${user.email} ${user.name}`}
        columns={[
          { header: 'Email', rowHeader: true, cell: (user) => user.email },
          { header: 'Name', cell: (user) => user.name || '—' },
          { header: 'Status', cell: (user) => (user.enabled ? 'Enabled' : 'Disabled') },
          { header: 'Roles', cell: (user) => roleNames(roles.items, user.roleIds) },
          {
            header: 'Password',
            cell: (user) => (user.hasPassword ? 'Set' : 'Invitation pending'),
          },
          { header: 'Passkeys', cell: (user) => String(user.passkeys) },
          {
            header: 'Actions',
            cell: (user) => (
              <span class="row-actions">
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Edit ${user.email}`}
                  onClick={() => setOpen({ kind: 'edit', user })}
                >
                  Edit
                </button>
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`${user.enabled ? 'Disable' : 'Enable'} ${user.email}`}
                  onClick={() => toggle(user)}
                >
                  {user.enabled ? 'Disable' : 'Enable'}
                </button>
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Set Password of ${user.email}`}
                  onClick={() => setOpen({ kind: 'password', user })}
                >
                  Set Password
                </button>
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Reset Link for ${user.email}`}
                  onClick={() => resetLink(user)}
                >
                  Reset Link
                </button>
                {user.passkeys > 0 && (
                  <button
                    type="button"
                    class="secondary small"
                    aria-label={`Remove Passkeys of ${user.email}`}
                    onClick={() => setOpen({ kind: 'passkeys', user })}
                  >
                    Remove Passkeys
                  </button>
                )}
                <button
                  type="button"
                  class="danger small"
                  aria-label={`Delete ${user.email}`}
                  onClick={() => setOpen({ kind: 'delete', user })}
                >
                  Delete
                </button>
              </span>
            ),
          },
        ]}
      />
      {open?.kind === 'add' && (
        <AddUserDialog
          roles={roles.items}
          onClose={close}
          onAdded={(user) => {
            const { invitationUrl, invitationExpiration, ...listed } = user
            loaded.set(([page, r]) => [
              { items: [...page.items, listed], total: page.total + 1 },
              r,
            ])
            app.announce(`Added the user ${user.email}.`)
            if (invitationUrl)
              setOpen({
                kind: 'shown',
                title: 'Invitation Link',
                warning:
                  'This invitation link is shown only now. Send it to the user over a channel ' +
                  `you trust; it works once, until ${formatDate(invitationExpiration)}.`,
                label: 'Invitation Link',
                value: invitationUrl,
              })
            else close()
          }}
        />
      )}
      {open?.kind === 'edit' && (
        <EditUserDialog
          user={open.user}
          roles={roles.items}
          onClose={close}
          onSaved={(user) => {
            replaceUser(user)
            close()
            app.announce(`Saved ${user.email}.`)
          }}
        />
      )}
      {open?.kind === 'password' && (
        <SetPasswordDialog
          user={open.user}
          onClose={close}
          onSaved={() => {
            close()
            app.announce(`Set the password of ${open.user.email}.`)
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${open.user.email}?`}
          message="Their sessions end and their tokens stop working at once. This cannot be undone."
          confirmLabel="Delete"
          onConfirm={() => remove(open.user)}
          onCancel={close}
        />
      )}
      {open?.kind === 'passkeys' && (
        <ConfirmDialog
          title={`Remove the passkeys of ${open.user.email}?`}
          message="They sign in with their password (or a reset link) until they add a passkey again."
          confirmLabel="Remove"
          onConfirm={() => removePasskeys(open.user)}
          onCancel={close}
        />
      )}
      {open?.kind === 'shown' && (
        <ShownOnceDialog
          title={open.title}
          warning={open.warning}
          values={[{ label: open.label, value: open.value }]}
          onClose={close}
        />
      )}
    </Page>
  )
}

function AddUserDialog(props: {
  roles: Role[]
  onClose: () => void
  onAdded: (user: CreatedUser) => void
}) {
  const { app } = usePortal()
  const [draft, setDraft] = useState({
    email: '',
    name: '',
    roleIds: [ACCOUNT_MEMBER],
    invite: false,
    password: '',
  })
  const form = useForm(['email', 'name', 'roleIds', 'password'], async () => {
    const checks = createChecks()
    checks.required('email', draft.email)
    if (!draft.invite) checks.required('password', draft.password)
    checks.done()
    const user = await app.api().post<CreatedUser>('/users', {
      email: draft.email.trim(),
      name: draft.name.trim(),
      roleIds: draft.roleIds,
      ...(!draft.invite && { password: draft.password }),
    })
    props.onAdded(user)
  })
  return (
    <Dialog title="Add User" onClose={props.onClose}>
      <PortalForm
        form={form}
        label="New user"
        submitLabel="Save"
        extra={
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
        }
      >
        <TextField
          label="Email"
          type="email"
          required
          value={draft.email}
          errors={form.state.errors.email}
          onChange={(email) => setDraft({ ...draft, email })}
        />
        <TextField
          label="Name"
          value={draft.name}
          errors={form.state.errors.name}
          hint="Optional."
          onChange={(name) => setDraft({ ...draft, name })}
        />
        <RolesField
          roles={props.roles}
          selected={draft.roleIds}
          errors={form.state.errors.roleIds}
          onChange={(roleIds) => setDraft({ ...draft, roleIds })}
        />
        <Fieldset legend="First password">
          <Check
            label="Invite: create a one-time link (valid 7 days) for the user to set it"
            checked={draft.invite}
            onChange={(invite) => setDraft({ ...draft, invite })}
          />
        </Fieldset>
        {!draft.invite && (
          <TextField
            label="Password"
            type="password"
            autocomplete="new-password"
            value={draft.password}
            errors={form.state.errors.password}
            hint="The user signs in with it at once."
            onChange={(password) => setDraft({ ...draft, password })}
          />
        )}
      </PortalForm>
    </Dialog>
  )
}

function EditUserDialog(props: {
  user: User
  roles: Role[]
  onClose: () => void
  onSaved: (user: User) => void
}) {
  const { app } = usePortal()
  const [draft, setDraft] = useState({
    email: props.user.email,
    name: props.user.name,
    enabled: props.user.enabled,
    roleIds: props.user.roleIds,
  })
  const form = useForm(['email', 'name', 'enabled', 'roleIds'], async () => {
    const checks = createChecks()
    checks.required('email', draft.email)
    checks.done()
    const saved = await app.api().put<User>(`/users/${encodeURIComponent(props.user.id)}`, {
      ...draft,
      email: draft.email.trim(),
    })
    props.onSaved(saved)
  })
  return (
    <Dialog title={`Edit ${props.user.email}`} onClose={props.onClose}>
      <PortalForm
        form={form}
        label="User"
        submitLabel="Save"
        extra={
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
        }
      >
        <TextField
          label="Email"
          type="email"
          required
          value={draft.email}
          errors={form.state.errors.email}
          onChange={(email) => setDraft({ ...draft, email })}
        />
        <TextField
          label="Name"
          value={draft.name}
          errors={form.state.errors.name}
          onChange={(name) => setDraft({ ...draft, name })}
        />
        <CheckboxField
          label="Enabled"
          value={draft.enabled}
          errors={form.state.errors.enabled}
          hint="A disabled user cannot sign in; disabling ends their sessions."
          onChange={(enabled) => setDraft({ ...draft, enabled })}
        />
        <RolesField
          roles={props.roles}
          selected={draft.roleIds}
          errors={form.state.errors.roleIds}
          onChange={(roleIds) => setDraft({ ...draft, roleIds })}
        />
      </PortalForm>
    </Dialog>
  )
}

function SetPasswordDialog(props: { user: User; onClose: () => void; onSaved: () => void }) {
  const { app } = usePortal()
  const [password, setPassword] = useState('')
  const form = useForm(['password'], async () => {
    const checks = createChecks()
    checks.required('password', password)
    checks.done()
    await app.api().post(`/users/${encodeURIComponent(props.user.id)}/password`, { password })
    props.onSaved()
  })
  return (
    <Dialog title={`Set Password of ${props.user.email}`} onClose={props.onClose}>
      <PortalForm
        form={form}
        label="New password"
        submitLabel="Save"
        extra={
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
        }
      >
        <TextField
          label="Password"
          type="password"
          autocomplete="new-password"
          value={password}
          errors={form.state.errors.password}
          onChange={setPassword}
        />
      </PortalForm>
    </Dialog>
  )
}
