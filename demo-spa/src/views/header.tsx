import { render, useEffect, useLayoutEffect, useState } from 'hono/jsx/dom'
import type { App } from '../app'
import { isAdministrator } from '../session/session-store'
import { useSession } from './use-app-state'

const PORTAL_LINKS: [href: string, label: string][] = [
  ['/clients', 'Clients'],
  ['/roles', 'Roles'],
  ['/users', 'Users'],
  ['/resources', 'Resources'],
  ['/third-party-clients', 'Third-party Clients'],
  ['/audit', 'Audit log'],
]

/**
 * The site header: navigation (the portal's pages only for Account Administrators) and the
 * account area with the Sign in (also in a popup) / Sign out buttons, rendered into the page's `#nav` and
 * `#account`. `markCurrent` tells the navigation that the address changed.
 */
export function mountHeader(nav: HTMLElement, account: HTMLElement, app: App) {
  const listeners = new Set<() => void>()
  render(<Navigation app={app} onPathChange={listeners} />, nav)
  // Registered before the components' own subscriptions: it sees the focus before they render.
  const focus = { hadFocus: false }
  app.store.subscribe(() => {
    focus.hadFocus ||= account.contains(document.activeElement)
  })
  render(<Account app={app} container={account} focus={focus} />, account)
  return {
    markCurrent: () => {
      for (const listener of listeners) listener()
    },
  }
}

/** `aria-current="page"` on the link of the current section (not a color-only signal). */
function Navigation(props: { app: App; onPathChange: Set<() => void> }) {
  const state = useSession(props.app)
  const [path, setPath] = useState(location.pathname)
  useEffect(() => {
    const listener = () => setPath(location.pathname)
    props.onPathChange.add(listener)
    return () => props.onPathChange.delete(listener)
  }, [])
  const links: [string, string][] = [
    ['/', 'Session'],
    ...(isAdministrator(state) ? PORTAL_LINKS : []),
  ]
  return (
    <ul>
      {links.map(([href, label]) => {
        const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)
        return (
          <li>
            <a href={href} aria-current={current ? 'page' : undefined}>
              {label}
            </a>
          </li>
        )
      })}
    </ul>
  )
}

/**
 * Sign in, or who is signed in and Sign out. Its buttons are replaced when the session changes
 * (Sign in ↔ Sign out); if the account area had the focus, it keeps it.
 */
function Account(props: { app: App; container: HTMLElement; focus: { hadFocus: boolean } }) {
  const { app, container, focus } = props
  const state = useSession(app)
  useLayoutEffect(() => {
    if (focus.hadFocus && !container.contains(document.activeElement))
      container.querySelector('button')?.focus()
    focus.hadFocus = false
  })
  const name = state.email || state.user?.email || state.user?.name || 'you'
  const needsSignIn = state.problem?.code === 'interaction_required'
  const signIn = (
    <button type="button" onClick={() => app.session.signIn()}>
      Sign in
    </button>
  )
  // Next to Sign in: the same sign-in in a popup window; this page does not navigate.
  const signInPopup = (
    <button type="button" class="secondary" onClick={() => app.session.signInWithPopup()}>
      Sign in with popup
    </button>
  )
  if (state.status === 'restoring') return <span>Checking session…</span>
  if (state.status === 'signed-out')
    return (
      <>
        {signIn}
        {signInPopup}
      </>
    )
  return (
    <>
      <span class="who">
        Signed in as <strong>{name}</strong>
      </span>
      {needsSignIn && signIn}
      {needsSignIn && signInPopup}
      <button type="button" class="secondary" onClick={() => app.session.signOut()}>
        Sign out
      </button>
    </>
  )
}
