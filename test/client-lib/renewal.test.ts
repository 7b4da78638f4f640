import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AuthClientError } from '../../client-lib/src/index.js'
import {
  captureNavigation,
  createClient,
  disposeClients,
  driveFrames,
  idle,
  markSession,
  signIn,
  until,
  useFakeClock,
} from './helpers/browser.js'
import {
  CLIENT_ID,
  createFakeProvider,
  type FakeProvider,
  SILENT_REDIRECT_URI,
} from './helpers/fake-provider.js'

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0)

let provider: FakeProvider
let frames: ReturnType<typeof driveFrames>
beforeEach(async () => {
  provider = await createFakeProvider()
  frames = driveFrames(provider)
})
afterEach(() => {
  disposeClients()
  vi.useRealTimers()
})

async function signedInClient(options?: Parameters<typeof createClient>[1]) {
  const client = createClient(provider, options)
  await signIn(client, provider)
  return client
}

describe('silent renewal', () => {
  it('sends prompt=none to the silent redirect URI with id_token_hint, new state, nonce and PKCE (OIDC Core §3.1.2.1)', async () => {
    const client = await signedInClient()
    const firstSignIn = provider.authorizations[0]
    await client.renew()
    const silent = provider.authorizations[1]
    expect(silent?.searchParams.get('prompt')).toBe('none')
    expect(silent?.searchParams.get('redirect_uri')).toBe(SILENT_REDIRECT_URI)
    expect(silent?.searchParams.get('id_token_hint')).toMatch(/^ey/)
    expect(silent?.searchParams.get('code_challenge_method')).toBe('S256')
    expect(silent?.searchParams.get('state')).not.toBe(firstSignIn?.searchParams.get('state'))
    expect(silent?.searchParams.get('nonce')).not.toBe(firstSignIn?.searchParams.get('nonce'))
    const [, tokenRequest] = provider.requestsTo('/token')
    expect(tokenRequest?.body.get('redirect_uri')).toBe(SILENT_REDIRECT_URI)
    expect(frames.removed).toEqual(frames.frames)
  })

  it('getAccessToken() answers the current token without network while it is valid', async () => {
    const client = await signedInClient()
    const before = provider.requests.length
    const token = await client.getAccessToken()
    expect(token).toMatch(/^at-/)
    expect(provider.requests.length).toBe(before)
    expect(frames.frames).toHaveLength(0)
  })

  it('getAccessToken() never answers an expired token: it renews first (frozen clock)', async () => {
    useFakeClock(NOW)
    const client = await signedInClient()
    const old = await client.getAccessToken()
    vi.setSystemTime(NOW + 3600_000 + 1)
    const fresh = await client.getAccessToken()
    expect(fresh).not.toBe(old)
    expect(frames.frames).toHaveLength(1)
    expect(client.expiresAt).toBe(NOW + 3600_000 + 1 + 3600_000)
  })

  it('renews on its own renewLeadSeconds before expiry (fake timers)', async () => {
    useFakeClock(NOW)
    provider.accessTokenLifetime = 600
    const client = await signedInClient({ renewLeadSeconds: 60 })
    const renewed = vi.fn()
    client.on('renewed', renewed)
    await vi.advanceTimersByTimeAsync(540_000 - 1)
    await idle()
    expect(frames.frames).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    await until(() => renewed.mock.calls.length === 1)
    expect(frames.frames).toHaveLength(1)
    expect(renewed).toHaveBeenCalledWith(
      expect.objectContaining({ network: true, by: client.tabId, durationMs: expect.any(Number) }),
    )
    expect(client.expiresAt).toBe(NOW + 540_000 + 600_000)
  })

  it('runs one renewal at a time in a tab: concurrent callers share it', async () => {
    useFakeClock(NOW)
    const client = await signedInClient()
    vi.setSystemTime(NOW + 3600_000)
    const tokens = await Promise.all([
      client.getAccessToken(),
      client.getAccessToken(),
      client.renew(),
    ])
    expect(frames.frames).toHaveLength(1)
    expect(provider.requestsTo('/token')).toHaveLength(2)
    expect(tokens[0]).toBe(tokens[1])
  })

  it('rejects a renewal that returns another user and keeps the current tokens (OIDC Core §2, sub never reassigned)', async () => {
    const client = await signedInClient()
    const token = await client.getAccessToken()
    provider.session = { sub: 'user-2', email: 'eve@example.com' }
    const failed = vi.fn()
    client.on('renewalFailed', failed)
    const error = await client.renew().catch((err: unknown) => err)
    expect(error).toMatchObject({ code: 'subject_changed' })
    expect(client.user?.sub).toBe('user-1')
    expect(await client.getAccessToken()).toBe(token)
    expect(failed).toHaveBeenCalledWith({ error })
  })

  it('maps login_required to interaction_required, keeps the tokens and does not sign out (OIDC Core §3.1.2.6)', async () => {
    const client = await signedInClient()
    provider.session = null
    const signedOut = vi.fn()
    client.on('signedOut', signedOut)
    const error = await client.renew().catch((err: unknown) => err)
    expect(error).toBeInstanceOf(AuthClientError)
    expect(error).toMatchObject({ code: 'interaction_required', error: 'login_required' })
    expect(client.user?.sub).toBe('user-1')
    expect(signedOut).not.toHaveBeenCalled()
    expect(provider.requestsTo('/token')).toHaveLength(1)
  })

  it.each(['consent_required', 'interaction_required', 'account_selection_required'])(
    'maps %s to interaction_required (OIDC Core §3.1.2.6)',
    async (serverError) => {
      const client = await signedInClient()
      provider.session = null
      provider.noSessionError = serverError
      await expect(client.renew()).rejects.toMatchObject({
        code: 'interaction_required',
        error: serverError,
      })
    },
  )

  it('retries transient failures with backoff, a bounded number of times, then reports them', async () => {
    useFakeClock(NOW)
    const client = await signedInClient()
    provider.offline = true
    const attempts = () => provider.requestsTo('/token').length - 1 // minus the sign-in
    const outcome = client.renew().catch((err: unknown) => err)
    await until(() => attempts() === 1)
    await idle()
    await vi.advanceTimersByTimeAsync(999)
    await idle()
    expect(attempts()).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    await until(() => attempts() === 2)
    await idle()
    await vi.advanceTimersByTimeAsync(3999)
    await idle()
    expect(attempts()).toBe(2)
    await vi.advanceTimersByTimeAsync(1)
    await until(() => attempts() === 3)
    await vi.advanceTimersByTimeAsync(60_000)
    await idle()
    expect(attempts()).toBe(3)
    expect(await outcome).toMatchObject({ code: 'network' })
    expect(frames.removed).toHaveLength(3)
    expect(client.user?.sub).toBe('user-1')
  })

  it('recovers when a transient failure clears during the retries', async () => {
    useFakeClock(NOW)
    const client = await signedInClient()
    provider.offline = true
    const outcome = client.renew()
    await until(() => provider.requestsTo('/token').length === 2)
    await idle()
    provider.offline = false
    await vi.advanceTimersByTimeAsync(1000)
    await expect(outcome).resolves.toBeUndefined()
    expect(frames.frames).toHaveLength(2)
  })

  it('reports a timeout when the silent callback never answers (default 10 s), removes the iframe, and does not retry inline', async () => {
    useFakeClock(NOW)
    const client = await signedInClient()
    frames.behaviour = 'silent'
    const outcome = client.renew().catch((err: unknown) => err)
    await until(() => frames.frames.length === 1)
    await vi.advanceTimersByTimeAsync(9_999)
    expect(frames.removed).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(await outcome).toMatchObject({ code: 'timeout' })
    await vi.advanceTimersByTimeAsync(5000)
    await idle()
    expect(frames.frames).toHaveLength(1)
    expect(frames.removed).toHaveLength(1)
  })

  it('reports frame_blocked, without retrying, when the frame shows a page that never answers', async () => {
    useFakeClock(NOW)
    const client = await signedInClient()
    frames.behaviour = 'loads-without-answer'
    const outcome = client.renew().catch((err: unknown) => err)
    await until(() => frames.frames.length === 1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(await outcome).toMatchObject({ code: 'frame_blocked' })
    await vi.advanceTimersByTimeAsync(60_000)
    await idle()
    expect(frames.frames).toHaveLength(1)
  })

  it('stops automatic renewal after a failure that needs the user, until the next sign-in', async () => {
    useFakeClock(NOW)
    provider.accessTokenLifetime = 600
    const client = await signedInClient()
    provider.session = null
    const failed = vi.fn()
    client.on('renewalFailed', failed)
    await vi.advanceTimersByTimeAsync(540_000)
    await until(() => failed.mock.calls.length === 1)
    expect(failed.mock.calls[0]?.[0].error.code).toBe('interaction_required')
    window.dispatchEvent(new Event('focus'))
    await vi.advanceTimersByTimeAsync(60_000)
    await idle()
    expect(frames.frames).toHaveLength(1)
  })

  it('tries again later after a transient failure while the tab stays open', async () => {
    useFakeClock(NOW)
    provider.accessTokenLifetime = 600
    const client = await signedInClient()
    const failed = vi.fn()
    client.on('renewalFailed', failed)
    provider.offline = true
    const attempts = () => provider.requestsTo('/token').length - 1 // minus the sign-in
    await vi.advanceTimersByTimeAsync(540_000)
    for (const [attempt, backoff] of [
      [1, 1000],
      [2, 4000],
    ] as const) {
      await until(() => attempts() === attempt)
      await idle()
      await vi.advanceTimersByTimeAsync(backoff)
    }
    await until(() => failed.mock.calls.length === 1)
    await idle()
    provider.offline = false
    await vi.advanceTimersByTimeAsync(30_000)
    await until(() => (client.expiresAt ?? 0) > NOW + 600_000)
    expect(frames.frames).toHaveLength(4)
  })
})

describe('third-party cookies', () => {
  const CROSS_SITE_ISSUER = 'http://127.0.0.1:8787'
  const crossSiteTxKey = `edge-identity:${CLIENT_ID}@${CROSS_SITE_ISSUER}:tx`

  beforeEach(async () => {
    provider = await createFakeProvider({ issuer: CROSS_SITE_ISSUER })
    frames = driveFrames(provider)
    markSession(provider) // a returning visitor: the library looks for the session silently
  })

  it('reports third_party_cookies_unavailable when a cross-site issuer answers login_required to the iframe (localhost app, 127.0.0.1 server)', async () => {
    const client = createClient(provider)
    provider.session = null
    const error = await client.getAccessToken().catch((err: unknown) => err)
    expect(error).toBeInstanceOf(AuthClientError)
    expect(error).toMatchObject({
      code: 'third_party_cookies_unavailable',
      error: 'login_required',
    })
    expect((error as Error).message).toMatch(/same-site/)
  })

  it('keeps interaction_required for a same-site issuer (localhost:5173 app, localhost:8787 server)', async () => {
    const sameSite = await createFakeProvider()
    driveFrames(sameSite)
    markSession(sameSite)
    const client = createClient(sameSite)
    sameSite.session = null
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'interaction_required' })
  })

  it('does not navigate away without topLevelFallback', async () => {
    const client = createClient(provider)
    provider.session = null
    const navigate = captureNavigation()
    await expect(client.renew()).rejects.toMatchObject({ code: 'third_party_cookies_unavailable' })
    expect(navigate).not.toHaveBeenCalled()
  })

  it('with topLevelFallback, navigates the tab with prompt=none and comes back to where the user was', async () => {
    const client = createClient(provider, { topLevelFallback: true })
    provider.session = null
    history.replaceState(null, '', '/reports?year=2026')
    const navigate = captureNavigation()
    const pending = vi.fn()
    client.getAccessToken().then(pending, pending)
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    const url = new URL(String(navigate.mock.calls[0]?.[0]))
    expect(url.origin).toBe(CROSS_SITE_ISSUER)
    expect(url.searchParams.get('prompt')).toBe('none')
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:5173/callback')
    const transaction = JSON.parse(sessionStorage.getItem(crossSiteTxKey) ?? '{}')
    expect(transaction).toMatchObject({ returnTo: '/reports?year=2026', fallback: true })
    expect(pending).not.toHaveBeenCalled()

    // The top-level navigation carries the first-party cookie: the server answers with a code.
    provider.session = { sub: 'user-1', email: 'ada@example.com' }
    history.replaceState(null, '', provider.authorize(url.href))
    const back = createClient(provider, { topLevelFallback: true })
    await expect(back.handleRedirectCallback()).resolves.toMatchObject({
      returnTo: '/reports?year=2026',
      user: { sub: 'user-1' },
    })
  })

  it('does not fall back again after a top-level prompt=none came back with login_required (no redirect loop)', async () => {
    const client = createClient(provider, { topLevelFallback: true })
    provider.session = null
    const navigate = captureNavigation()
    client.getAccessToken().catch(() => {})
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    history.replaceState(null, '', provider.authorize(String(navigate.mock.calls[0]?.[0])))
    const back = createClient(provider, { topLevelFallback: true })
    await expect(back.handleRedirectCallback()).rejects.toMatchObject({
      code: 'interaction_required',
    })
    await expect(back.getAccessToken()).rejects.toMatchObject({
      code: 'third_party_cookies_unavailable',
    })
    expect(navigate).toHaveBeenCalledTimes(1)
  })

  it('rejects a fallback that comes back with another user (OIDC Core §2)', async () => {
    const client = createClient(provider, { topLevelFallback: true })
    await signIn(client, provider)
    provider.session = null
    const navigate = captureNavigation()
    client.renew().catch(() => {})
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledTimes(1))
    provider.session = { sub: 'user-2', email: 'eve@example.com' }
    history.replaceState(null, '', provider.authorize(String(navigate.mock.calls[0]?.[0])))
    const back = createClient(provider)
    await expect(back.handleRedirectCallback()).rejects.toMatchObject({ code: 'subject_changed' })
    expect(back.user).toBeUndefined()
  })
})
