import type { View, ViewContext } from '../app'
import { type DemoConfig, setTopLevelFallback, setWebMessage } from '../config'
import { type Child, definitionList, h, replaceChildren } from '../dom'
import { isAdministrator, type SessionState } from '../session/session-store'
import { expiryCountdown } from './countdown'
import { renewalLogView } from './renewal-log-view'

let discovery: Promise<string> | undefined

/** The issuer as the server's discovery document states it: shows that the server answers. */
function discoveredIssuer(issuer: string): Promise<string> {
  discovery ??= fetch(`${issuer}/.well-known/openid-configuration`)
    .then(async (response) => {
      if (!response.ok) throw new Error(`discovery answered ${response.status}`)
      return ((await response.json()) as { issuer: string }).issuer
    })
    .catch((error: unknown) => {
      discovery = undefined
      throw error
    })
  return discovery
}

/** The home page: the session, Renew now, the token's expiry countdown and the renewal log. */
export const sessionPage: View = {
  title: 'Session',
  render({ app, signal }: ViewContext) {
    const issuer = h('span', null, 'checking…')
    discoveredIssuer(app.config.issuer).then(
      (value) => replaceChildren(issuer, value),
      (error: unknown) =>
        replaceChildren(
          issuer,
          h('span', { class: 'error' }, `Error: ${app.config.issuer} does not answer (${error})`),
        ),
    )
    const alerts = h('div', { class: 'alerts' })
    const details = h('div')
    const actions = h('p', { class: 'actions' })
    const portalNote = h('div')
    let countdown: AbortController | undefined

    const render = (state: SessionState, previous?: SessionState) => {
      countdown?.abort()
      countdown = new AbortController()
      signal.addEventListener('abort', () => countdown?.abort(), { once: true })
      replaceChildren(alerts, alertsFor(state))
      replaceChildren(details, detailsFor(state, issuer, app.config.clientId, countdown.signal))
      if (state.status !== previous?.status) {
        const hadFocus = actions.contains(document.activeElement)
        replaceChildren(
          actions,
          state.status === 'signed-in' &&
            h('button', { type: 'button', onclick: () => app.session.renewNow() }, 'Renew now'),
        )
        if (hadFocus) document.querySelector<HTMLElement>('#account button')?.focus()
      }
      replaceChildren(portalNote, portalNoteFor(state))
    }
    render(app.store.get())
    app.store.subscribe(render, signal)

    return h(
      'div',
      null,
      h(
        'section',
        { 'aria-labelledby': 'session-heading' },
        h('h2', { id: 'session-heading' }, 'Session'),
        alerts,
        details,
        actions,
        portalNote,
      ),
      renewalLogView(app, signal),
      settings(app.config),
    )
  },
}

function alertsFor(state: SessionState): Child {
  return [
    state.problem &&
      h(
        'div',
        { class: 'alert', role: 'alert' },
        h('strong', null, 'Renewal problem: '),
        h('code', { id: 'renewal-error-code' }, state.problem.code),
        ` ${state.problem.message}. `,
        state.problem.code === 'interaction_required' &&
          'The identity server needs you to sign in again. You stay signed in here until the ' +
            'access token expires.',
      ),
    state.notice && h('p', { class: 'note', role: 'note' }, state.notice),
  ]
}

function detailsFor(
  state: SessionState,
  issuer: HTMLElement,
  clientId: string,
  signal: AbortSignal,
): Child {
  const server: [string, Child, string?][] = [
    ['Identity server', issuer, 'issuer'],
    ['Client id', h('code', null, clientId)],
  ]
  if (state.status === 'restoring') {
    return [definitionList(server), h('p', null, 'Checking for a session at the identity server…')]
  }
  if (state.status === 'signed-out') {
    return [definitionList(server), h('p', { id: 'signed-out' }, 'You are not signed in.')]
  }
  const email: Child =
    state.email ??
    (state.emailError ? h('span', { class: 'error' }, `Error: ${state.emailError}`) : 'loading…')
  return definitionList([
    ...server,
    ['Email', email, 'user-email'],
    ['Name', state.name ?? state.user?.name ?? '—'],
    ['Roles', state.access?.roles.join(', ') || '—', 'user-roles'],
    ['Tenant', state.access?.tid ? h('code', null, state.access.tid) : '—'],
    [
      'Access token expires',
      state.expiresAt === undefined ? '—' : expiryCountdown(state.expiresAt, signal),
    ],
    ['Access token id', state.access?.jti ? h('code', null, state.access.jti) : '—', 'token-id'],
  ])
}

function portalNoteFor(state: SessionState): Child {
  if (state.status !== 'signed-in' || isAdministrator(state)) return null
  return h(
    'p',
    { class: 'note' },
    'The clients portal is not shown: it is for Account Administrators of the tenant, and you ' +
      'do not hold that role.',
  )
}

function settings(config: DemoConfig): HTMLElement {
  const checkbox = h('input', {
    type: 'checkbox',
    id: 'top-level-fallback',
    checked: config.topLevelFallback,
    'aria-describedby': 'top-level-fallback-hint',
    onchange: (event: Event) => setTopLevelFallback((event.target as HTMLInputElement).checked),
  })
  return h(
    'section',
    { 'aria-labelledby': 'settings-heading' },
    h('h2', { id: 'settings-heading' }, 'Settings'),
    h(
      'p',
      { class: 'check' },
      checkbox,
      h(
        'label',
        { for: 'top-level-fallback' },
        'Top-level fallback when third-party cookies are blocked',
      ),
    ),
    h(
      'p',
      { class: 'hint', id: 'top-level-fallback-hint' },
      'When the identity server is on another site, browsers withhold its session cookie from ' +
        'the hidden iframe. With this on, a failed silent renewal renews by a top-level ' +
        'prompt=none redirect and comes back here. Changing it reloads the page.',
    ),
    webMessageSetting(config.webMessage),
  )
}

/** The web_message renewal setting: one checkbox and its hint, added to the settings. */
function webMessageSetting(enabled: boolean): Child {
  const checkbox = h('input', {
    type: 'checkbox',
    id: 'web-message',
    checked: enabled,
    'aria-describedby': 'web-message-hint',
    onchange: (event: Event) => setWebMessage((event.target as HTMLInputElement).checked),
  })
  return [
    h(
      'p',
      { class: 'check' },
      checkbox,
      h('label', { for: 'web-message' }, 'Silent renewal with response_mode=web_message'),
    ),
    h(
      'p',
      { class: 'hint', id: 'web-message-hint' },
      'The identity server answers the hidden iframe (and the popup) with a page that posts the ' +
        'response to this app, so no silent callback page is needed. Changing it reloads the page.',
    ),
  ]
}
