import type { Child } from 'hono/jsx/dom'
import { render, useEffect, useLayoutEffect, useRef, useState } from 'hono/jsx/dom'
import type { App, View } from '../app'
import { type DemoConfig, setDpop, setTopLevelFallback, setWebMessage } from '../config'
import { isAdministrator, type SessionState } from '../session/session-store'
import { ExpiryCountdown } from './countdown'
import { RenewalLogView } from './renewal-log-view'
import { useSession } from './use-app-state'

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
  render({ app, signal }) {
    const container = document.createElement('div')
    render(<SessionPage app={app} signal={signal} />, container)
    return container
  },
}

function SessionPage(props: { app: App; signal: AbortSignal }) {
  const { app } = props
  const state = useSession(app, props.signal)
  const status = useRef(state.status)
  // When Renew now goes (signed out) while it had the focus, the focus goes to the account
  // button (Sign in) rather than to the top of the page.
  useLayoutEffect(() => {
    if (status.current === state.status) return
    status.current = state.status
    if (document.activeElement === document.body)
      document.querySelector<HTMLElement>('#account button')?.focus()
  }, [state.status])
  return (
    <div>
      <section aria-labelledby="session-heading">
        <h2 id="session-heading">Session</h2>
        <div class="alerts">
          <Alerts state={state} />
        </div>
        <Details state={state} app={app} signal={props.signal} />
        <p class="actions">
          {state.status === 'signed-in' && (
            <button type="button" onClick={() => app.session.renewNow()}>
              Renew now
            </button>
          )}
        </p>
        {state.status === 'signed-in' && !isAdministrator(state) && (
          <p class="note">
            The clients portal is not shown: it is for Account Administrators of the tenant, and you
            do not hold that role.
          </p>
        )}
      </section>
      <RenewalLogView app={app} signal={props.signal} />
      <Settings config={app.config} />
    </div>
  )
}

function Alerts(props: { state: SessionState }) {
  const { problem, notice } = props.state
  return (
    <>
      {problem && (
        <div class="alert" role="alert">
          <strong>Renewal problem: </strong>
          <code id="renewal-error-code">{problem.code}</code> {problem.message}.{' '}
          {problem.code === 'interaction_required' &&
            'The identity server needs you to sign in again. You stay signed in here until the ' +
              'access token expires.'}
        </div>
      )}
      {notice && (
        <p class="note" role="note">
          {notice}
        </p>
      )}
    </>
  )
}

function Issuer(props: { issuer: string }) {
  const [text, setText] = useState<Child>('checking…')
  useEffect(() => {
    discoveredIssuer(props.issuer).then(
      (value) => setText(value),
      (error: unknown) =>
        setText(
          <span class="error">
            Error: {props.issuer} does not answer ({String(error)})
          </span>,
        ),
    )
  }, [])
  return <span>{text}</span>
}

function DefinitionList(props: { rows: [term: string, description: Child, id?: string][] }) {
  return (
    <dl>
      {props.rows.map(([term, description, id]) => (
        <>
          <dt>{term}</dt>
          <dd id={id}>{description}</dd>
        </>
      ))}
    </dl>
  )
}

function Details(props: { state: SessionState; app: App; signal: AbortSignal }) {
  const { state, app } = props
  const server: [string, Child, string?][] = [
    ['Identity server', <Issuer issuer={app.config.issuer} />, 'issuer'],
    ['Client id', <code>{app.config.clientId}</code>],
  ]
  if (state.status === 'restoring')
    return (
      <div>
        <DefinitionList rows={server} />
        <p>Checking for a session at the identity server…</p>
      </div>
    )
  if (state.status === 'signed-out')
    return (
      <div>
        <DefinitionList rows={server} />
        <p id="signed-out">You are not signed in.</p>
      </div>
    )
  const email: Child =
    state.email ??
    (state.emailError ? <span class="error">Error: {state.emailError}</span> : 'loading…')
  return (
    <div>
      <DefinitionList
        rows={[
          ...server,
          ['Email', email, 'user-email'],
          ['Name', state.name ?? state.user?.name ?? '—'],
          ['Roles', state.access?.roles.join(', ') || '—', 'user-roles'],
          ['Tenant', state.access?.tid ? <code>{state.access.tid}</code> : '—'],
          [
            'Access token expires',
            state.expiresAt === undefined ? (
              '—'
            ) : (
              <ExpiryCountdown expiresAt={state.expiresAt} signal={props.signal} />
            ),
          ],
          [
            'Access token id',
            state.access?.jti ? <code>{state.access.jti}</code> : '—',
            'token-id',
          ],
          ['Token type', state.tokenType ?? '—', 'token-type'],
          ...(state.access?.jkt
            ? [
                ['Bound to key (cnf.jkt)', <code>{state.access.jkt}</code>, 'token-jkt'] as [
                  string,
                  Child,
                  string,
                ],
              ]
            : []),
        ]}
      />
    </div>
  )
}

function Settings(props: { config: DemoConfig }) {
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <p class="check">
        <input
          type="checkbox"
          id="top-level-fallback"
          checked={props.config.topLevelFallback}
          aria-describedby="top-level-fallback-hint"
          onChange={(event: Event) =>
            setTopLevelFallback((event.target as HTMLInputElement).checked)
          }
        />
        <label for="top-level-fallback">
          Top-level fallback when third-party cookies are blocked
        </label>
      </p>
      <p class="hint" id="top-level-fallback-hint">
        When the identity server is on another site, browsers withhold its session cookie from the
        hidden iframe. With this on, a failed silent renewal renews by a top-level prompt=none
        redirect and comes back here. Changing it reloads the page.
      </p>
      <p class="check">
        <input
          type="checkbox"
          id="web-message"
          checked={props.config.webMessage}
          aria-describedby="web-message-hint"
          onChange={(event: Event) => setWebMessage((event.target as HTMLInputElement).checked)}
        />
        <label for="web-message">Silent renewal with response_mode=web_message</label>
      </p>
      <p class="hint" id="web-message-hint">
        The identity server answers the hidden iframe (and the popup) with a page that posts the
        response to this app, so no silent callback page is needed. Changing it reloads the page.
      </p>
      <p class="check">
        <input
          type="checkbox"
          id="dpop"
          checked={props.config.dpop}
          aria-describedby="dpop-hint"
          onChange={(event: Event) => setDpop((event.target as HTMLInputElement).checked)}
        />
        <label for="dpop">DPoP: bind tokens to a key of this browser</label>
      </p>
      <p class="hint" id="dpop-hint">
        Every token request and API call carries a proof signed by a key kept in this browser's
        IndexedDB, which no script can read, so a stolen access token is useless elsewhere. The key
        is replaced after sign-out. Changing it reloads the page, which renews the session with it.
      </p>
    </section>
  )
}
