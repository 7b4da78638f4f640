import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  captureNavigation,
  createClient,
  disposeClients,
  driveFrames,
  installBroadcastChannel,
  installLocks,
  signIn,
  until,
} from './helpers/browser.js'
import { createFakeProvider, type FakeProvider } from './helpers/fake-provider.js'

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
  driveFrames(provider)
})
afterEach(disposeClients)

/**
 * The provider's fetch, except that requests to `path` hang (until their signal aborts) while
 * `hung.on` is true: a server that accepted the connection and never answers.
 */
function hangingFetch(path: string) {
  const hung = { on: true, seen: 0 }
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (!hung.on || new URL(String(input)).pathname !== path) return provider.fetch(input, init)
    hung.seen++
    return new Promise((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
    })
  }
  return { hung, fetch }
}

describe('requestTimeoutMs', () => {
  it('ends a discovery request that never answers with a timeout error', async () => {
    const { fetch } = hangingFetch('/.well-known/openid-configuration')
    const client = createClient(provider, { fetch, requestTimeoutMs: 50 })
    captureNavigation()
    await expect(client.signIn()).rejects.toMatchObject({ code: 'timeout' })
  })

  it('ends a token request that never answers with a timeout error', async () => {
    const { hung, fetch } = hangingFetch('/token')
    const client = createClient(provider, { fetch, requestTimeoutMs: 50 })
    hung.on = false
    const navigate = captureNavigation()
    await client.signIn()
    const authorizeUrl = String(navigate.mock.calls[0]?.[0])
    navigate.mockRestore()
    hung.on = true
    history.replaceState(null, '', provider.authorize(authorizeUrl))
    await expect(client.handleRedirectCallback()).rejects.toMatchObject({ code: 'timeout' })
    expect(hung.seen).toBe(1)
  })

  it('a tab whose token request hangs holds the renewal lock no longer than the deadlines: the other tab is answered, and both recover once the server answers', async () => {
    installLocks()
    installBroadcastChannel()
    const { hung, fetch } = hangingFetch('/token')
    hung.on = false
    const options = { fetch, requestTimeoutMs: 100, silentTimeoutMs: 200 }
    const [first, second] = [createClient(provider, options), createClient(provider, options)]
    if (!first || !second) throw new Error('two tabs')
    await signIn(first, provider)
    await until(() => second.user !== undefined)
    hung.on = true
    const holder = first.renew().catch((err: unknown) => err)
    await until(() => hung.seen === 1)
    // Without deadlines this waits for the lock forever.
    await expect(second.renew()).rejects.toMatchObject({ code: 'timeout' })
    expect(await holder).toMatchObject({ code: 'timeout' })
    hung.on = false // the server answers again: one renewal reaches every tab
    const before = first.getTokens()?.accessToken
    await second.renew()
    expect(second.getTokens()?.accessToken).not.toBe(before)
    await until(() => first.getTokens()?.accessToken === second.getTokens()?.accessToken)
  })
})
