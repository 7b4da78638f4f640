import type { App } from '../app'
import { h, replaceChildren } from '../dom'
import { isAdministrator, type SessionState } from '../session/session-store'

const PORTAL_LINKS: [href: string, label: string][] = [
  ['/clients', 'Clients'],
  ['/roles', 'Roles'],
  ['/users', 'Users'],
  ['/audit', 'Audit log'],
]

/**
 * The site header: navigation (the portal's pages only for Account Administrators) and the
 * account area with the Sign in / Sign out buttons.
 */
export function mountHeader(nav: HTMLElement, account: HTMLElement, app: App) {
  const renderNav = (state: SessionState) => {
    const links: [string, string][] = [
      ['/', 'Session'],
      ...(isAdministrator(state) ? PORTAL_LINKS : []),
    ]
    replaceChildren(
      nav,
      h(
        'ul',
        null,
        links.map(([href, label]) => h('li', null, h('a', { href }, label))),
      ),
    )
    markCurrent(nav)
  }

  const renderAccount = (state: SessionState) => {
    const hadFocus = account.contains(document.activeElement)
    const signIn = h('button', { type: 'button', onclick: () => app.session.signIn() }, 'Sign in')
    // Next to Sign in: the same sign-in in a popup window; this page does not navigate.
    const signInPopup = h(
      'button',
      { type: 'button', class: 'secondary', onclick: () => app.session.signInWithPopup() },
      'Sign in with popup',
    )
    const signOut = h(
      'button',
      { type: 'button', class: 'secondary', onclick: () => app.session.signOut() },
      'Sign out',
    )
    const name = state.email || state.user?.email || state.user?.name || 'you'
    const needsSignIn = state.problem?.code === 'interaction_required'
    if (state.status === 'restoring') replaceChildren(account, h('span', null, 'Checking session…'))
    else if (state.status === 'signed-out') replaceChildren(account, signIn, signInPopup)
    else
      replaceChildren(
        account,
        h('span', { class: 'who' }, 'Signed in as ', h('strong', null, name ?? '')),
        needsSignIn && signIn,
        needsSignIn && signInPopup,
        signOut,
      )
    if (hadFocus) account.querySelector('button')?.focus()
  }

  app.store.subscribe((state, previous) => {
    if (state.status !== previous.status || isAdministrator(state) !== isAdministrator(previous))
      renderNav(state)
    if (
      state.status !== previous.status ||
      state.user?.sub !== previous.user?.sub ||
      state.email !== previous.email ||
      state.problem?.code !== previous.problem?.code
    )
      renderAccount(state)
  })
  renderNav(app.store.get())
  renderAccount(app.store.get())
  return { markCurrent: () => markCurrent(nav) }
}

/** `aria-current="page"` on the link of the current section (not a color-only signal). */
function markCurrent(nav: HTMLElement): void {
  const path = location.pathname
  for (const link of nav.querySelectorAll('a')) {
    const href = link.getAttribute('href') ?? '/'
    const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)
    if (current) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
}
