import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  captureNavigation,
  createClient,
  disposeClients,
  driveFrames,
  installBroadcastChannel,
  signIn,
  until,
} from './helpers/browser.js'
import {
  CLIENT_ID,
  createFakeProvider,
  type FakeProvider,
  ISSUER,
  POST_LOGOUT_REDIRECT_URI,
} from './helpers/fake-provider.js'

const TOKENS_KEY = `edge-identity:${CLIENT_ID}@${ISSUER}`

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
  driveFrames(provider)
})
afterEach(disposeClients)

describe('token storage', () => {
  it('keeps tokens in memory by default: nothing reaches Web Storage', async () => {
    const client = createClient(provider)
    await signIn(client, provider)
    const token = await client.getAccessToken()
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(token)
    expect(JSON.stringify({ ...localStorage })).not.toContain(token)
    expect(createClient(provider).user).toBeUndefined()
  })

  it("with storage 'session', keeps tokens in sessionStorage so a reload of the tab finds them", async () => {
    const client = createClient(provider, { storage: 'session' })
    await signIn(client, provider)
    const token = await client.getAccessToken()
    expect(sessionStorage.getItem(TOKENS_KEY)).toContain(token)
    const reloaded = createClient(provider, { storage: 'session' })
    expect(reloaded.user?.sub).toBe('user-1')
    expect(await reloaded.getAccessToken()).toBe(token)
    expect(JSON.stringify({ ...localStorage })).not.toContain(token)
  })

  it("with storage 'session', sign-out removes the stored tokens", async () => {
    const client = createClient(provider, { storage: 'session' })
    await signIn(client, provider)
    captureNavigation()
    await client.signOut()
    expect(sessionStorage.getItem(TOKENS_KEY)).toBeNull()
  })
})

describe('signOut()', () => {
  it('navigates to end_session_endpoint with id_token_hint, post_logout_redirect_uri, client_id and state (RP-Initiated Logout §2)', async () => {
    const client = createClient(provider)
    await signIn(client, provider)
    const navigate = captureNavigation()
    await client.signOut()
    const url = new URL(String(navigate.mock.calls[0]?.[0]))
    expect(url.origin + url.pathname).toBe(`${ISSUER}/end_session`)
    expect(url.searchParams.get('id_token_hint')).toMatch(/^eyJ/)
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(POST_LOGOUT_REDIRECT_URI)
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID)
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('drops the tokens and emits signedOut before leaving', async () => {
    const client = createClient(provider)
    await signIn(client, provider)
    const signedOut = vi.fn()
    client.on('signedOut', signedOut)
    captureNavigation()
    await client.signOut()
    expect(client.user).toBeUndefined()
    expect(client.expiresAt).toBeUndefined()
    expect(signedOut).toHaveBeenCalledTimes(1)
  })

  it('signs out locally when the server has no end_session_endpoint', async () => {
    delete provider.metadata.end_session_endpoint
    const client = createClient(provider)
    await signIn(client, provider)
    const navigate = captureNavigation()
    await client.signOut()
    expect(navigate).not.toHaveBeenCalled()
    expect(client.user).toBeUndefined()
  })

  it('does not take back a renewal that another tab finished after the sign-out', async () => {
    installBroadcastChannel()
    const [mine, other] = [createClient(provider), createClient(provider)]
    await signIn(mine as NonNullable<typeof mine>, provider)
    await until(() => other?.user !== undefined)
    captureNavigation()
    const renewal = other?.renew().catch((err: unknown) => err)
    await mine?.signOut()
    await renewal
    await until(() => other?.user === undefined)
    expect(mine?.user).toBeUndefined()
  })
})

describe('fetch()', () => {
  it('adds Authorization: Bearer with a valid access token and keeps the other headers (RFC 6750 §2.1)', async () => {
    const client = createClient(provider, { fetchOrigins: ['https://api.example'] })
    await signIn(client, provider)
    const response = await client.fetch('https://api.example/orders', {
      headers: { 'x-request-id': '42' },
    })
    expect(await response.json()).toEqual({ ok: true })
    const [apiCall] = provider.requests.filter((r) => r.url.origin === 'https://api.example')
    expect(apiCall?.headers.get('authorization')).toBe(`Bearer ${await client.getAccessToken()}`)
    expect(apiCall?.headers.get('x-request-id')).toBe('42')
  })

  it("keeps a Request's own headers", async () => {
    const client = createClient(provider, { fetchOrigins: ['https://api.example'] })
    await signIn(client, provider)
    const { fetch: authorizedFetch } = client
    await authorizedFetch(new Request('https://api.example/x', { headers: { 'x-trace': 't' } }))
    const [apiCall] = provider.requests.filter((r) => r.url.origin === 'https://api.example')
    expect(apiCall?.headers.get('x-trace')).toBe('t')
    expect(apiCall?.headers.get('authorization')).toMatch(/^Bearer at-/)
  })

  it('fails with the renewal error instead of calling the API without a token', async () => {
    const client = createClient(provider, { fetchOrigins: ['https://api.example'] })
    provider.session = null
    await expect(client.fetch('https://api.example/x')).rejects.toMatchObject({
      code: 'interaction_required',
    })
    expect(provider.requests.filter((r) => r.url.origin === 'https://api.example')).toHaveLength(0)
  })
})

describe('dispose()', () => {
  it('stops listening: page events, other tabs and events no longer reach the instance', async () => {
    installBroadcastChannel()
    const [disposed, active] = [createClient(provider), createClient(provider)]
    const events = vi.fn()
    disposed?.on('signedIn', events)
    disposed?.dispose()
    await signIn(active as NonNullable<typeof active>, provider)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(disposed?.user).toBeUndefined()
    expect(events).not.toHaveBeenCalled()
  })

  it('lets an unsubscribed listener go', async () => {
    const client = createClient(provider)
    const listener = vi.fn()
    const off = client.on('signedIn', listener)
    off()
    await signIn(client, provider)
    expect(listener).not.toHaveBeenCalled()
  })
})
