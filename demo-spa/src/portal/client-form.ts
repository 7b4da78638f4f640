import type { App } from '../app'
import { h } from '../dom'
import type { Page } from './api'
import { kindOf } from './clients-list'
import { showOnce } from './dialog'
import { createPortalForm } from './form'
import { page, portalView } from './portal-view'
import {
  CLIENT_KINDS,
  type Client,
  type ClientKind,
  type CreatedClient,
  isClientKind,
  type Role,
} from './resources'

const LIFETIME_MIN_SECONDS = 60
const LIFETIME_MAX_SECONDS = 3600

/** The warning shown with a new secret (shown once, docs/architecture.md "Clients"). */
export const SECRET_WARNING =
  'This is the only time the secret is shown. Copy it now and store it securely: once you close ' +
  'this dialog it cannot be shown again. If it is lost, add a new secret and delete the old one.'

/** Creates a client of the kind in the query, with its first secret when the kind has secrets. */
export const newClientPage = portalView('Add client', async ({ app, query }) => {
  const kind = kindOf(query)
  const roles = await app.api().get<Page<Role>>('/roles')
  return clientForm(app, kind, roles.items, undefined)
})

/** Replaces a client's settings (PUT: every setting, docs/architecture.md). */
export const editClientPage = portalView('Edit client', async ({ app, params }) => {
  const kind = params.kind
  if (!isClientKind(kind)) throw new Error(`Unknown client type ${kind}`)
  const api = app.api()
  const [client, roles] = await Promise.all([
    api.get<Client>(`/${CLIENT_KINDS[kind].collection}/${encodeURIComponent(params.id ?? '')}`),
    api.get<Page<Role>>('/roles'),
  ])
  return clientForm(app, kind, roles.items, client)
})

function clientForm(app: App, kind: ClientKind, roles: Role[], client: Client | undefined) {
  const info = CLIENT_KINDS[kind]
  const title = client ? `Edit ${client.name}` : `New ${info.label.toLowerCase()} client`
  const f = createPortalForm({
    labelledBy: 'page-heading',
    submitLabel: client ? 'Save changes' : 'Create client',
  })
  const name = f.text({
    name: 'name',
    label: 'Name',
    value: client?.name,
    required: true,
    hint: 'What device or application uses it.',
  })
  const enabled = f.checkbox({
    name: 'enabled',
    label: 'Enabled',
    checked: client?.enabled ?? true,
    hint: 'A disabled client gets no tokens, and its tokens stop working.',
  })
  const lifetime = f.number({
    name: 'accessTokenLifetime',
    label: 'Token lifetime (seconds)',
    value: client?.accessTokenLifetime ?? LIFETIME_MAX_SECONDS,
    min: LIFETIME_MIN_SECONDS,
    max: LIFETIME_MAX_SECONDS,
    hint: 'How long an access token works: 60 to 3600 seconds (default 3600, one hour).',
  })
  const roleIds = f.roles({ roles, selected: client?.roleIds ?? [] })
  const redirectUris = !info.browser
    ? undefined
    : f.urlList({
        name: 'redirectUris',
        label: 'Allowed redirect URLs',
        values: client?.redirectUris ?? [],
        hint: 'One per line, matched exactly; https, or http on localhost. At least one, at most 10.',
      })
  const logoutUris = !info.browser
    ? undefined
    : f.urlList({
        name: 'postLogoutRedirectUris',
        label: 'Allowed logout redirect URLs',
        values: client?.postLogoutRedirectUris ?? [],
        hint: 'Optional; one per line, at most 10.',
      })
  const corsOrigins = !info.cors
    ? undefined
    : f.urlList({
        name: 'allowedCorsOrigins',
        label: 'Allowed CORS origins',
        values: client?.allowedCorsOrigins ?? [],
        hint: 'Optional; origins (https://app.example.com) that may call the token endpoint from a browser.',
      })
  const refresh = !info.refresh
    ? undefined
    : f.checkbox({
        name: 'allowRefreshToken',
        label: 'Allow refresh token',
        checked: client?.allowRefreshToken ?? false,
        hint: 'Lets the application keep users signed in with refresh tokens (scope offline_access).',
      })
  const firstSecret = info.secrets && !client
  const secretDescription = firstSecret
    ? f.text({ name: 'secretDescription', label: 'Secret description', hint: 'Optional.' })
    : undefined
  const secretExpiration = firstSecret ? f.expiration('secretExpiration') : undefined

  f.onSubmit(async () => {
    const body = {
      name: name.read(),
      enabled: enabled.read(),
      accessTokenLifetime: lifetime.read(),
      roleIds: roleIds.read(),
      ...(redirectUris && { redirectUris: redirectUris.read() }),
      ...(logoutUris && { postLogoutRedirectUris: logoutUris.read() }),
      ...(corsOrigins && { allowedCorsOrigins: corsOrigins.read() }),
      ...(refresh && { allowRefreshToken: refresh.read() }),
    }
    const api = app.api()
    if (client) {
      await api.put<Client>(`/${info.collection}/${encodeURIComponent(client.id)}`, body)
      app.navigate(`/clients/${kind}/${client.id}`)
      app.announce(`Saved the changes to ${body.name}.`)
      return
    }
    const expiration = secretExpiration?.read()
    const created = await api.post<CreatedClient>(`/${info.collection}`, {
      ...body,
      ...(secretDescription && { secretDescription: secretDescription.read() }),
      ...(expiration !== undefined && { secretExpiration: expiration }),
    })
    if (created.secret) {
      await showOnce({
        title: 'Client created',
        warning: SECRET_WARNING,
        values: [
          { label: 'Client id', value: created.id, id: 'created-client-id' },
          { label: 'Client secret', value: created.secret.value, id: 'created-client-secret' },
        ],
      })
    }
    app.navigate(`/clients/${kind}/${created.id}`)
    app.announce(`Created the client ${created.name}.`)
  })

  const cancel = client ? `/clients/${kind}/${client.id}` : `/clients?kind=${kind}`
  return page(
    title,
    h('p', { class: 'hint' }, info.summary),
    f.finish(
      [
        name.element,
        enabled.element,
        lifetime.element,
        roleIds.element,
        redirectUris?.element,
        logoutUris?.element,
        corsOrigins?.element,
        refresh?.element,
        firstSecret &&
          h(
            'fieldset',
            { class: 'group' },
            h('legend', null, 'First secret'),
            h(
              'p',
              { class: 'hint' },
              'The secret is shown once, right after the client is created.',
            ),
            secretDescription?.element,
            secretExpiration?.element,
          ),
      ],
      h('a', { href: cancel }, 'Cancel'),
    ),
  )
}
