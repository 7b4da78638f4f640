import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { signInWithPopup } from '../../client-lib/src/popup.js'
import {
  captureNavigation,
  createClient,
  disposeClients,
  driveFrames,
  installBroadcastChannel,
  until,
  webMessagePost,
} from './helpers/browser.js'
import {
  APP_ORIGIN,
  createFakeProvider,
  type FakeProvider,
  REDIRECT_URI,
  SILENT_REDIRECT_URI,
} from './helpers/fake-provider.js'

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
})
afterEach(disposeClients)

type Answer = 'callback-page' | 'web_message' | 'never' | 'user-closes'

/**
 * window.open() answered by a fake popup: when the library points it at the authorization
 * request, the provider answers, and the page at the redirect URI posts to the opener (the silent
 * callback page's URL, or the provider's web_message object), from the popup's window.
 */
function fakePopup(answer: Answer) {
  const popup = {
    closed: false,
    close: vi.fn(() => {
      popup.closed = true
    }),
    location: {
      set href(url: string) {
        if (answer === 'never') return
        if (answer === 'user-closes') {
          popup.closed = true
          return
        }
        const response = provider.authorize(url)
        const { data, origin } =
          answer === 'web_message'
            ? webMessagePost(provider)(response)
            : { data: response, origin: APP_ORIGIN }
        setTimeout(() => {
          window.dispatchEvent(
            new MessageEvent('message', { data, origin, source: popup as unknown as Window }),
          )
        })
      },
    },
  }
  const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window)
  return { popup, open }
}

describe('signInWithPopup()', () => {
  it('signs in through a popup without navigating the page, in every tab, and closes the popup', async () => {
    installBroadcastChannel()
    const navigate = captureNavigation()
    const { popup, open } = fakePopup('callback-page')
    const client = createClient(provider)
    const otherTab = createClient(provider)
    const result = await signInWithPopup(client, { appState: { from: 'cart' } })
    expect(result).toMatchObject({ appState: { from: 'cart' }, user: { sub: 'user-1' } })
    expect(client.user?.sub).toBe('user-1')
    expect(navigate).not.toHaveBeenCalled()
    expect(open).toHaveBeenCalledOnce()
    expect(popup.close).toHaveBeenCalled()
    const request = provider.authorizations[0]
    expect(request?.searchParams.get('redirect_uri')).toBe(SILENT_REDIRECT_URI)
    expect(request?.searchParams.get('code_challenge_method')).toBe('S256')
    await until(() => otherTab.user?.sub === 'user-1')
    // An interactive sign-in: a later page load renews silently.
    const frames = driveFrames(provider)
    await expect(createClient(provider).isAuthenticated()).resolves.toBe(true)
    expect(frames.frames).toHaveLength(1)
  })

  it('with responseMode web_message, takes the provider page message from the popup (response_mode=web_message)', async () => {
    fakePopup('web_message')
    const client = createClient(provider)
    await signInWithPopup(client, { responseMode: 'web_message' })
    const request = provider.authorizations[0]
    expect(request?.searchParams.get('response_mode')).toBe('web_message')
    expect(request?.searchParams.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(client.user?.sub).toBe('user-1')
  })

  it('rejects with popup_blocked when the browser refuses the window', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null)
    await expect(signInWithPopup(createClient(provider))).rejects.toMatchObject({
      name: 'AuthClientError',
      code: 'popup_blocked',
    })
  })

  it('rejects with popup_closed when the user closes the popup', async () => {
    const { popup } = fakePopup('user-closes')
    const client = createClient(provider)
    await expect(signInWithPopup(client)).rejects.toMatchObject({ code: 'popup_closed' })
    expect(popup.closed).toBe(true)
    expect(client.user).toBeUndefined()
  })

  it('ignores messages from another window or origin, then times out and closes the popup', async () => {
    const { popup } = fakePopup('never')
    const client = createClient(provider)
    const pending = signInWithPopup(client, { timeoutMs: 300 })
    await until(() => provider.requestsTo('/.well-known/openid-configuration').length === 1)
    window.dispatchEvent(
      new MessageEvent('message', { data: `${SILENT_REDIRECT_URI}?code=x`, origin: APP_ORIGIN }),
    )
    await expect(pending).rejects.toMatchObject({ code: 'timeout' })
    expect(popup.close).toHaveBeenCalled()
  })
})
