import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  captureNavigation,
  createClient,
  disposeClients,
  driveFrames,
  markSession,
  signIn,
} from './helpers/browser.js'
import { createFakeProvider, type FakeProvider } from './helpers/fake-provider.js'

let provider: FakeProvider
let frames: ReturnType<typeof driveFrames>
beforeEach(async () => {
  provider = await createFakeProvider()
  frames = driveFrames(provider)
})
afterEach(disposeClients)

describe('anonymous visitors', () => {
  it('answer interaction_required at once: no iframe, no request, for a page that never signed in', async () => {
    const client = createClient(provider)
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'interaction_required' })
    await expect(client.renew()).rejects.toMatchObject({ code: 'interaction_required' })
    expect(await client.isAuthenticated()).toBe(false)
    expect(frames.frames).toHaveLength(0)
    expect(provider.requests).toHaveLength(0)
  })

  it('are looked up silently by checkSession(), the explicit way (a provider session from elsewhere)', async () => {
    const client = createClient(provider)
    await expect(client.checkSession()).resolves.toMatchObject({ sub: 'user-1' })
    expect(frames.frames).toHaveLength(1)
    provider.session = null
    const stranger = createClient(provider)
    localStorage.clear()
    await expect(stranger.checkSession()).resolves.toBeUndefined()
  })

  it('a returning visitor whose provider session ended costs one silent look, then none on the next load', async () => {
    markSession(provider)
    provider.session = null
    await expect(createClient(provider).getAccessToken()).rejects.toMatchObject({
      code: 'interaction_required',
    })
    expect(frames.frames).toHaveLength(1)
    await expect(createClient(provider).getAccessToken()).rejects.toMatchObject({
      code: 'interaction_required',
    })
    expect(frames.frames).toHaveLength(1)
  })
})

describe('sign-out sticks', () => {
  it('without end_session_endpoint, no silent renewal signs the user back in, also after a reload, until the next interactive sign-in', async () => {
    delete provider.metadata.end_session_endpoint
    const client = createClient(provider)
    await signIn(client, provider)
    const navigate = captureNavigation()
    await client.signOut()
    expect(navigate).not.toHaveBeenCalled()
    // The provider's session is still there: only the library can keep the user signed out.
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'interaction_required' })
    const reloaded = createClient(provider)
    await expect(reloaded.getAccessToken()).rejects.toMatchObject({
      code: 'interaction_required',
    })
    await expect(reloaded.checkSession()).resolves.toBeUndefined()
    expect(frames.frames).toHaveLength(0)
    navigate.mockRestore()
    await signIn(reloaded, provider)
    await reloaded.renew()
    expect(frames.frames).toHaveLength(1)
  })
})
