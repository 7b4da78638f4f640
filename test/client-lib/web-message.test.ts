import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { webMessage } from '../../client-lib/src/web-message.js'
import {
  createClient,
  disposeClients,
  driveFrames,
  signIn,
  webMessagePost,
} from './helpers/browser.js'
import {
  APP_ORIGIN,
  createFakeProvider,
  type FakeProvider,
  REDIRECT_URI,
} from './helpers/fake-provider.js'

let provider: FakeProvider
let frames: ReturnType<typeof driveFrames>
beforeEach(async () => {
  provider = await createFakeProvider()
  provider.metadata.response_modes_supported = ['query', 'fragment', 'web_message']
  frames = driveFrames(provider)
  frames.post = webMessagePost(provider)
})
afterEach(disposeClients)

/** A client renewing through web_message, without a silent callback page. */
async function signedInClient() {
  const client = createClient(provider, {
    silentRedirectUri: undefined,
    silentTransport: webMessage(),
  })
  await signIn(client, provider)
  return client
}

// A provider page that loaded in the frame but never delivered an acceptable answer ends as
// frame_blocked when the silent timeout passes (see runSilentFrame).
describe('webMessage() silent renewal (OAuth 2.0 Web Message Response Mode)', () => {
  it('sends response_mode=web_message with the app redirect URI and takes the response the provider page posts', async () => {
    const client = await signedInClient()
    const before = await client.getAccessToken()
    await client.renew()
    const silent = provider.authorizations.at(-1)
    expect(silent?.searchParams.get('response_mode')).toBe('web_message')
    expect(silent?.searchParams.get('prompt')).toBe('none')
    expect(silent?.searchParams.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(await client.getAccessToken()).not.toBe(before)
    expect(frames.removed).toEqual(frames.frames)
  })

  it('ignores a response posted from another origin (the app itself, a third party)', async () => {
    const client = await signedInClient()
    frames.post = (url) => ({ ...webMessagePost(provider)(url), origin: APP_ORIGIN })
    await expect(
      createClient(provider, {
        silentTransport: webMessage(),
        silentTimeoutMs: 100,
      }).checkSession(),
    ).rejects.toMatchObject({ code: 'frame_blocked' })
    expect(client.user?.sub).toBe('user-1')
  })

  it('ignores a message of another type, or with another state', async () => {
    await signedInClient()
    const post = webMessagePost(provider)
    for (const forge of [
      (url: string) => ({ ...post(url), data: { type: 'other', response: post(url).data } }),
      (url: string) => {
        const { data, origin } = post(url)
        return { origin, data: { ...data, response: { ...data.response, state: 'stale' } } }
      },
    ]) {
      frames.post = forge
      const client = createClient(provider, { silentTransport: webMessage(), silentTimeoutMs: 100 })
      await expect(client.renew()).rejects.toMatchObject({ code: 'frame_blocked' })
    }
  })

  it('validates iss of the posted response (RFC 9207)', async () => {
    const client = await signedInClient()
    const post = webMessagePost(provider)
    frames.post = (url) => {
      const { data, origin } = post(url)
      return {
        origin,
        data: { ...data, response: { ...data.response, iss: 'https://evil.example' } },
      }
    }
    await expect(client.renew()).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'wrong iss',
    })
  })
})
