import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createClient,
  disposeClients,
  driveFrames,
  installBroadcastChannel,
  markSession,
  signIn,
  useFakeClock,
} from './helpers/browser.js'
import { createFakeProvider, type FakeProvider } from './helpers/fake-provider.js'

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

describe('getAccessToken({ signal })', () => {
  it("rejects with the signal's reason as soon as it aborts", async () => {
    markSession(provider)
    frames.behaviour = 'silent'
    const client = createClient(provider)
    const controller = new AbortController()
    const pending = client.getAccessToken({ signal: controller.signal })
    controller.abort(new DOMException('left the page', 'AbortError'))
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', message: 'left the page' })
  })
})

describe('dispose()', () => {
  it('aborts a renewal in flight and removes its frame, every timer, page listener and the channel', async () => {
    useFakeClock(Date.UTC(2026, 11, 4))
    const channels = installBroadcastChannel()
    const client = createClient(provider)
    await signIn(client, provider)
    frames.behaviour = 'silent'
    const renewal = client.renew().catch((err: unknown) => err)
    await vi.waitFor(() => expect(frames.frames).toHaveLength(1))
    client.dispose()
    await renewal
    expect(frames.removed).toEqual(frames.frames)
    expect(vi.getTimerCount()).toBe(0)
    expect(channels.size).toBe(0)
    // Page events no longer reach it: a wake-up after expiry starts nothing.
    vi.setSystemTime(Date.now() + 7200_000)
    window.dispatchEvent(new Event('focus'))
    window.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(frames.frames).toHaveLength(1)
  })
})
