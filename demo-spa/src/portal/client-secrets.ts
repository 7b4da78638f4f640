import type { App } from '../app'
import { h, replaceChildren } from '../dom'
import type { Page } from './api'
import { SECRET_WARNING } from './client-form'
import { confirmAction, showOnce } from './dialog'
import { createPortalForm } from './form'
import { errorAlert } from './portal-view'
import {
  CLIENT_KINDS,
  type ClientKind,
  type CreatedSecret,
  formatDate,
  type Secret,
} from './resources'

const MAX_SECRETS = 10

/**
 * A confidential client's secrets: the list (never the values), add (the value is shown once),
 * delete. Rotation (docs/architecture.md): add a new secret, move the application to it, then
 * delete the old one.
 */
export async function clientSecrets(
  app: App,
  kind: ClientKind,
  clientId: string,
  signal: AbortSignal,
): Promise<HTMLElement> {
  const path = `/${CLIENT_KINDS[kind].collection}/${encodeURIComponent(clientId)}/secrets`
  const listArea = h('div')
  const heading = h('h3', { id: 'secrets-heading', tabindex: -1 }, 'Secrets')

  async function refresh(): Promise<void> {
    try {
      const secrets = await app.api().get<Page<Secret>>(path)
      if (!signal.aborted) replaceChildren(listArea, secretsTable(secrets.items))
    } catch (error) {
      replaceChildren(listArea, errorAlert(error))
    }
  }

  function secretsTable(secrets: Secret[]): HTMLElement {
    if (secrets.length === 0)
      return h('p', null, 'No secrets: the client cannot get tokens until you add one.')
    return h(
      'table',
      null,
      h('caption', null, `${secrets.length} of at most ${MAX_SECRETS} secrets`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Description', 'Expires', 'Created', 'Actions'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        null,
        secrets.map((secret) => {
          const label = secret.description || `secret ${secret.id.slice(0, 8)}`
          const remove: HTMLButtonElement = h(
            'button',
            {
              type: 'button',
              class: 'danger small',
              'aria-label': `Delete ${label}`,
              onclick: async () => {
                const confirmed = await confirmAction({
                  title: `Delete ${label}?`,
                  message:
                    'Applications that use this secret are refused on their very next token request.',
                  confirmLabel: 'Delete secret',
                  returnFocus: remove,
                })
                if (!confirmed) return
                try {
                  await app.api().delete(`${path}/${encodeURIComponent(secret.id)}`)
                  await refresh()
                  heading.focus()
                  app.announce(`Deleted ${label}.`)
                } catch (error) {
                  replaceChildren(listArea, errorAlert(error))
                }
              },
            },
            'Delete',
          )
          return h(
            'tr',
            null,
            h(
              'th',
              { scope: 'row' },
              secret.description || h('span', { class: 'muted' }, '(no description)'),
            ),
            h('td', null, secret.expiration === null ? 'Never' : formatDate(secret.expiration)),
            h('td', null, formatDate(secret.createdAt)),
            h('td', null, remove),
          )
        }),
      ),
    )
  }

  const f = createPortalForm({ labelledBy: 'add-secret-heading', submitLabel: 'Add secret' })
  const description = f.text({
    name: 'description',
    label: 'Description',
    hint: 'Optional: where it is used.',
  })
  const expiration = f.expiration('expiration')
  f.onSubmit(async () => {
    const value = expiration.read()
    const created = await app.api().post<CreatedSecret>(path, {
      description: description.read(),
      ...(value !== undefined && { expiration: value }),
    })
    f.form.reset()
    await refresh()
    await showOnce({
      title: 'Secret added',
      warning: SECRET_WARNING,
      values: [
        { label: 'Client id', value: clientId },
        { label: 'Client secret', value: created.value, id: 'created-client-secret' },
      ],
      returnFocus: heading,
    })
  })

  await refresh()
  return h(
    'section',
    { 'aria-labelledby': 'secrets-heading' },
    heading,
    listArea,
    h('h4', { id: 'add-secret-heading' }, 'Add a secret'),
    f.finish([description.element, expiration.element]),
  )
}
