import { act, createElement, StrictMode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, useAuth } from '../../client-lib/src/react.js'
import {
  captureNavigation,
  createClient,
  disposeClients,
  driveFrames,
  signIn,
} from './helpers/browser.js'
import { createFakeProvider, type FakeProvider } from './helpers/fake-provider.js'

// React's act() warns unless the environment says it is a test.
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true })

let provider: FakeProvider
let root: Root
let container: HTMLElement
beforeEach(async () => {
  provider = await createFakeProvider()
  driveFrames(provider)
  container = document.createElement('div')
  document.body.appendChild(container)
  root = createRoot(container)
})
afterEach(() => {
  act(() => root.unmount())
  container.remove()
  disposeClients()
})

let renders = 0
function Profile() {
  renders++
  const { user, isAuthenticated, error } = useAuth()
  const text = isAuthenticated ? `Signed in as ${user?.email}` : 'Signed out'
  return createElement('p', null, error ? `${text} (${error.code})` : text)
}

const render = (client: ReturnType<typeof createClient>) =>
  act(() =>
    root.render(
      createElement(
        StrictMode,
        null,
        createElement(AuthProvider, { client }, createElement(Profile)),
      ),
    ),
  )

describe('AuthProvider and useAuth()', () => {
  it('render the session and follow sign-in, renewal failure and sign-out (useSyncExternalStore)', async () => {
    const client = createClient(provider)
    await render(client)
    expect(container.textContent).toBe('Signed out')
    await act(() => signIn(client, provider))
    expect(container.textContent).toBe('Signed in as ada@example.com')
    provider.session = null
    await act(() => client.renew().catch(() => {}))
    expect(container.textContent).toBe('Signed in as ada@example.com (interaction_required)')
    captureNavigation()
    await act(() => client.signOut())
    expect(container.textContent).toBe('Signed out')
  })

  it('shows a session that began before the first render, and renders a bounded number of times', async () => {
    const client = createClient(provider)
    await signIn(client, provider)
    renders = 0
    await render(client)
    expect(container.textContent).toBe('Signed in as ada@example.com')
    await act(() => client.renew())
    expect(renders).toBeLessThan(10)
  })

  it('useAuth() outside an AuthProvider throws a clear error', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(() => act(() => root.render(createElement(Profile)))).toThrow(/AuthProvider/)
  })
})
