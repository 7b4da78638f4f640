import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FRAME_ANSWER_GRACE_MS, runSilentFrame } from '../../client-lib/src/silent-renew.js'
import { APP_ORIGIN, SILENT_REDIRECT_URI } from './helpers/fake-provider.js'

const AUTHORIZE = new URL('http://localhost:8787/authorize?prompt=none&state=s-1')

/** Captures the frame instead of loading it; answers are dispatched by each test. */
function interceptFrame() {
  const seen: { frame?: HTMLIFrameElement; frameWindow: Window; removed: boolean } = {
    frameWindow: {} as Window,
    removed: false,
  }
  vi.spyOn(document.body, 'append').mockImplementation((node) => {
    const frame = node as HTMLIFrameElement
    Object.defineProperty(frame, 'contentWindow', { value: seen.frameWindow, configurable: true })
    vi.spyOn(frame, 'remove').mockImplementation(() => {
      seen.removed = true
    })
    seen.frame = frame
  })
  return seen
}

const post = (data: unknown, origin: string, source: unknown) =>
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }))

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('runSilentFrame()', () => {
  it('loads the authorization request in a hidden iframe and resolves with the posted response', async () => {
    const seen = interceptFrame()
    const result = runSilentFrame(AUTHORIZE, APP_ORIGIN, 's-1', 10_000)
    expect(seen.frame?.src).toBe(AUTHORIZE.href)
    expect(seen.frame?.hidden).toBe(true)
    post(`${SILENT_REDIRECT_URI}?code=c&state=s-1&iss=x`, APP_ORIGIN, seen.frameWindow)
    expect((await result).get('code')).toBe('c')
    expect(seen.removed).toBe(true)
  })

  it('ignores messages from another origin, another window or with another state (RFC 9700 §4.7)', async () => {
    const seen = interceptFrame()
    const result = runSilentFrame(AUTHORIZE, APP_ORIGIN, 's-1', 10_000)
    const settled = vi.fn()
    result.then(settled, settled)
    post(`${SILENT_REDIRECT_URI}?code=evil&state=s-1`, 'https://evil.example', seen.frameWindow)
    post(`${SILENT_REDIRECT_URI}?code=evil&state=s-1`, APP_ORIGIN, window)
    post(`${SILENT_REDIRECT_URI}?code=evil&state=s-1`, APP_ORIGIN, null)
    post(`${SILENT_REDIRECT_URI}?code=stale&state=s-0`, APP_ORIGIN, seen.frameWindow)
    await vi.advanceTimersByTimeAsync(5000)
    expect(settled).not.toHaveBeenCalled()
    post(`${SILENT_REDIRECT_URI}?code=good&state=s-1`, APP_ORIGIN, seen.frameWindow)
    expect((await result).get('code')).toBe('good')
  })

  it('times out after the given milliseconds with a timeout error and removes the iframe', async () => {
    const seen = interceptFrame()
    const result = runSilentFrame(AUTHORIZE, APP_ORIGIN, 's-1', 10_000)
    const outcome = result.catch((err: unknown) => err)
    await vi.advanceTimersByTimeAsync(9_999)
    expect(seen.removed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await outcome).toMatchObject({ name: 'AuthClientError', code: 'timeout' })
    expect(seen.removed).toBe(true)
  })

  it('reports frame_blocked when the frame loads a page that never answers (X-Frame-Options, UI for prompt=none)', async () => {
    const seen = interceptFrame()
    const outcome = runSilentFrame(AUTHORIZE, APP_ORIGIN, 's-1', 10_000).catch(
      (err: unknown) => err,
    )
    seen.frame?.onload?.(new Event('load'))
    await vi.advanceTimersByTimeAsync(FRAME_ANSWER_GRACE_MS)
    expect(await outcome).toMatchObject({ code: 'frame_blocked' })
    expect(seen.removed).toBe(true)
  })

  it('stops listening once settled: a late message changes nothing', async () => {
    const seen = interceptFrame()
    const remove = vi.spyOn(window, 'removeEventListener')
    const result = runSilentFrame(AUTHORIZE, APP_ORIGIN, 's-1', 10_000)
    post(`${SILENT_REDIRECT_URI}?code=first&state=s-1`, APP_ORIGIN, seen.frameWindow)
    expect((await result).get('code')).toBe('first')
    expect(remove).toHaveBeenCalledWith('message', expect.any(Function))
    expect(vi.getTimerCount()).toBe(0)
  })
})
