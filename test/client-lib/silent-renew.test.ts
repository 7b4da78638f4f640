import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  callbackPageMessage,
  FRAME_ANSWER_GRACE_MS,
  runSilentFrame,
} from '../../client-lib/src/silent-renew.js'
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
    const result = runSilentFrame(AUTHORIZE, callbackPageMessage(APP_ORIGIN), 's-1', 10_000)
    expect(seen.frame?.src).toBe(AUTHORIZE.href)
    expect(seen.frame?.hidden).toBe(true)
    post(`${SILENT_REDIRECT_URI}?code=c&state=s-1&iss=x`, APP_ORIGIN, seen.frameWindow)
    expect((await result).get('code')).toBe('c')
    expect(seen.removed).toBe(true)
  })

  it('ignores messages from another origin, another window or with another state (RFC 9700 §4.7)', async () => {
    const seen = interceptFrame()
    const result = runSilentFrame(AUTHORIZE, callbackPageMessage(APP_ORIGIN), 's-1', 10_000)
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
    const result = runSilentFrame(AUTHORIZE, callbackPageMessage(APP_ORIGIN), 's-1', 10_000)
    const outcome = result.catch((err: unknown) => err)
    await vi.advanceTimersByTimeAsync(9_999)
    expect(seen.removed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await outcome).toMatchObject({ name: 'AuthClientError', code: 'timeout' })
    expect(seen.removed).toBe(true)
  })

  it('reports frame_blocked when the frame loads a page of the app that never answers (a redirect without the callback script, about:blank)', async () => {
    const seen = interceptFrame()
    Object.assign(seen.frameWindow, { location: { href: 'about:blank' } })
    const outcome = runSilentFrame(AUTHORIZE, callbackPageMessage(APP_ORIGIN), 's-1', 10_000).catch(
      (err: unknown) => err,
    )
    seen.frame?.onload?.(new Event('load'))
    await vi.advanceTimersByTimeAsync(FRAME_ANSWER_GRACE_MS)
    expect(await outcome).toMatchObject({ code: 'frame_blocked' })
    expect(seen.removed).toBe(true)
  })

  it("waits through the provider's intermediate pages (cross-origin loads): only the silent timeout bounds them", async () => {
    const seen = interceptFrame()
    Object.defineProperty(seen.frameWindow, 'location', {
      get() {
        throw new DOMException('Blocked a frame with origin', 'SecurityError')
      },
    })
    const result = runSilentFrame(AUTHORIZE, callbackPageMessage(APP_ORIGIN), 's-1', 8000)
    const settled = vi.fn()
    result.then(settled, settled)
    seen.frame?.onload?.(new Event('load')) // the provider's page that redirects after 1.5 s
    await vi.advanceTimersByTimeAsync(1500)
    seen.frame?.onload?.(new Event('load')) // the provider's next page
    await vi.advanceTimersByTimeAsync(1500)
    expect(settled).not.toHaveBeenCalled()
    post(`${SILENT_REDIRECT_URI}?code=late&state=s-1`, APP_ORIGIN, seen.frameWindow)
    expect((await result).get('code')).toBe('late')
  })

  it('calls a frame that showed a cross-origin page and never answered blocked when the silent timeout passes (X-Frame-Options error page)', async () => {
    const seen = interceptFrame()
    Object.defineProperty(seen.frameWindow, 'location', {
      get() {
        throw new DOMException('Blocked a frame with origin', 'SecurityError')
      },
    })
    const outcome = runSilentFrame(AUTHORIZE, callbackPageMessage(APP_ORIGIN), 's-1', 8000).catch(
      (err: unknown) => err,
    )
    seen.frame?.onload?.(new Event('load'))
    await vi.advanceTimersByTimeAsync(8000)
    expect(await outcome).toMatchObject({ code: 'frame_blocked' })
    expect(seen.removed).toBe(true)
  })

  it("rejects with the signal's reason and removes the iframe when aborted (dispose)", async () => {
    const seen = interceptFrame()
    const controller = new AbortController()
    const outcome = runSilentFrame(
      AUTHORIZE,
      callbackPageMessage(APP_ORIGIN),
      's-1',
      10_000,
      controller.signal,
    ).catch((err: unknown) => err)
    controller.abort(new Error('disposed'))
    expect(await outcome).toMatchObject({ message: 'disposed' })
    expect(seen.removed).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('stops listening once settled: a late message changes nothing', async () => {
    const seen = interceptFrame()
    const remove = vi.spyOn(window, 'removeEventListener')
    const result = runSilentFrame(AUTHORIZE, callbackPageMessage(APP_ORIGIN), 's-1', 10_000)
    post(`${SILENT_REDIRECT_URI}?code=first&state=s-1`, APP_ORIGIN, seen.frameWindow)
    expect((await result).get('code')).toBe('first')
    expect(remove).toHaveBeenCalledWith('message', expect.any(Function))
    expect(vi.getTimerCount()).toBe(0)
  })
})
