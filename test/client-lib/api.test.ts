import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  captureNavigation,
  createClient,
  disposeClients,
  driveFrames,
  markSession,
  signIn,
  until,
  useFakeClock,
} from './helpers/browser.js'
import {
  APP_ORIGIN,
  createFakeProvider,
  type FakeProvider,
  ISSUER,
} from './helpers/fake-provider.js'

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
  driveFrames(provider)
})
afterEach(() => {
  disposeClients()
  vi.useRealTimers()
})

/** signIn(options), then the provider's redirect back to the callback URL. */
async function redirectBack(client: ReturnType<typeof createClient>, options = {}) {
  const navigate = captureNavigation()
  await client.signIn(options)
  const url = new URL(String(navigate.mock.calls[0]?.[0]))
  navigate.mockRestore()
  history.replaceState(null, '', provider.authorize(url.href))
  return url
}

describe('signIn() and handleRedirectCallback()', () => {
  it('carry returnTo and appState through the sign-in and answer the user', async () => {
    const client = createClient(provider)
    await redirectBack(client, { returnTo: '/orders/7#items', appState: { draft: 'note 42' } })
    await expect(client.handleRedirectCallback()).resolves.toEqual({
      returnTo: '/orders/7#items',
      appState: { draft: 'note 42' },
      user: expect.objectContaining({ sub: 'user-1' }),
    })
  })

  it('put returnTo and appState on callback errors: access_denied, and a reloaded callback', async () => {
    const client = createClient(provider)
    const navigate = captureNavigation()
    await client.signIn({ returnTo: '/reports', appState: 7 })
    const request = new URL(String(navigate.mock.calls[0]?.[0]))
    const denied = new URL(String(request.searchParams.get('redirect_uri')))
    denied.search = new URLSearchParams({
      error: 'access_denied',
      state: String(request.searchParams.get('state')),
      iss: ISSUER,
    }).toString()
    history.replaceState(null, '', denied.href)
    await expect(client.handleRedirectCallback()).rejects.toMatchObject({
      code: 'oauth_error',
      error: 'access_denied',
      returnTo: '/reports',
      appState: 7,
    })
    // The user reloads the callback page: nothing to redeem, but where to go is still known.
    await expect(
      createClient(provider).handleRedirectCallback(`${APP_ORIGIN}/callback`),
    ).rejects.toMatchObject({ code: 'invalid_response', returnTo: '/reports', appState: 7 })
  })

  it('send the client authorizationParams with every request, signIn() ones over them', async () => {
    const client = createClient(provider, {
      authorizationParams: { audience: 'https://api.example', max_age: 0, ui_locales: 'fr' },
    })
    const url = await redirectBack(client, { authorizationParams: { ui_locales: 'de' } })
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      audience: 'https://api.example',
      max_age: '0',
      ui_locales: 'de',
    })
    await client.handleRedirectCallback()
    await client.renew()
    const silent = provider.authorizations.at(-1)
    expect(silent?.searchParams.get('audience')).toBe('https://api.example')
    expect(silent?.searchParams.get('prompt')).toBe('none')
  })
})

describe('isAuthenticated(), getTokens() and the expired event', () => {
  it('answer the session: tokens with ID token, access token, expiry and scope', async () => {
    const client = createClient(provider)
    expect(client.getTokens()).toBeUndefined()
    await signIn(client, provider)
    expect(await client.isAuthenticated()).toBe(true)
    expect(client.getTokens()).toMatchObject({
      idToken: expect.stringMatching(/^eyJ/),
      accessToken: expect.stringMatching(/^at-/),
      expiresAt: expect.any(Number),
      scope: 'openid profile email',
    })
  })

  it('emits expired when the access token expires without a renewal', async () => {
    useFakeClock(Date.UTC(2026, 11, 4))
    provider.accessTokenLifetime = 600
    const client = createClient(provider)
    await signIn(client, provider)
    provider.session = null // renewal fails: the user must sign in again
    const expired = vi.fn()
    client.on('expired', expired)
    await vi.advanceTimersByTimeAsync(599_000)
    expect(expired).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1000)
    expect(expired).toHaveBeenCalledOnce()
    expect(client.user?.sub).toBe('user-1')
  })
})

describe('fetch()', () => {
  it('sends the token to the app and the issuer by default, never to another origin', async () => {
    const client = createClient(provider)
    await signIn(client, provider)
    await client.fetch('/api/orders')
    await client.fetch(`${ISSUER}/userinfo`)
    await client.fetch('https://api.example/orders')
    const auth = (url: string) =>
      provider.requests.find((r) => r.url.href === url)?.headers.get('authorization')
    expect(auth(`${APP_ORIGIN}/api/orders`)).toMatch(/^Bearer at-/)
    expect(auth(`${ISSUER}/userinfo`)).toMatch(/^Bearer at-/)
    expect(auth('https://api.example/orders')).toBeNull()
  })

  it('matches fetchOrigins by origin, so an entry written as a URL with a path still counts', async () => {
    const client = createClient(provider, { fetchOrigins: ['https://api.example/'] })
    await signIn(client, provider)
    await client.fetch('https://api.example/orders')
    await client.fetch('https://api.example.evil.test/orders')
    const auth = (url: string) =>
      provider.requests.find((r) => r.url.href === url)?.headers.get('authorization')
    expect(auth('https://api.example/orders')).toMatch(/^Bearer at-/)
    expect(auth('https://api.example.evil.test/orders')).toBeNull()
  })
})

describe('beforeTopLevelFallback', () => {
  const CROSS_SITE_ISSUER = 'http://127.0.0.1:8787'

  it('lets the app keep the page (preventDefault), and never navigates on a timer', async () => {
    const crossSite = await createFakeProvider({ issuer: CROSS_SITE_ISSUER })
    driveFrames(crossSite)
    markSession(crossSite)
    crossSite.session = null
    const navigate = captureNavigation()
    const client = createClient(crossSite, { topLevelFallback: true })
    const asked = vi.fn()
    const off = client.on('beforeTopLevelFallback', (event) => {
      asked(event.automatic)
      event.preventDefault()
    })
    await expect(client.renew()).rejects.toMatchObject({ code: 'third_party_cookies_unavailable' })
    expect(asked).toHaveBeenCalledWith(false)
    expect(navigate).not.toHaveBeenCalled()
    off()

    // A renewal started by the timer only asks: the app may call renew() on a user action.
    useFakeClock(Date.now())
    crossSite.session = { sub: 'user-1' }
    await signIn(client, crossSite)
    crossSite.session = null
    client.on('beforeTopLevelFallback', ({ automatic }) => asked(automatic))
    navigate.mockClear()
    await vi.advanceTimersByTimeAsync(3600_000)
    await until(() => asked.mock.calls.length === 2)
    expect(asked).toHaveBeenLastCalledWith(true)
    expect(navigate).not.toHaveBeenCalled()
  })
})
