import { AuthClientError } from './errors.js'

/**
 * After the frame loads a page the app can read (its own origin, or `about:blank`) that did not
 * answer, how long to wait before calling the frame blocked. The silent callback page posts while
 * it is parsed, before `load`, so its answer is normally already there.
 *
 * @example
 * await vi.advanceTimersByTimeAsync(FRAME_ANSWER_GRACE_MS) // in a test: now frame_blocked
 */
export const FRAME_ANSWER_GRACE_MS = 1000

/**
 * Reads an authorization response out of a `message` event, or answers undefined to ignore the
 * message. The event's source has already been checked.
 *
 * @example
 * const read: ResponseReader = (event) => new URLSearchParams(String(event.data))
 */
export type ResponseReader = (event: MessageEvent) => URLSearchParams | undefined

/**
 * The silent callback page's message: its own URL (with the response in the query), posted to and
 * accepted only from `origin`, the redirect URI's origin.
 *
 * @example
 * runSilentFrame(url, callbackPageMessage('https://app.example.com'), state, 10_000)
 */
export const callbackPageMessage =
  (origin: string): ResponseReader =>
  (event) =>
    // Relative to this page, so a non-URL message is ignored (another state) instead of throwing.
    event.origin === origin ? new URL(String(event.data), location.href).searchParams : undefined

/**
 * Waits for the authorization response that `source()` (the frame's or popup's window) posts:
 * accepted only from that window, as `read` allows (origin, shape), and with the expected `state`
 * (RFC 6749 §10.12, RFC 9700 §4.7); anything else is ignored. Settles with a `timeout` error after
 * `timeoutMs` (`timedOut()`, a `timeout` by default), with the signal's reason when it aborts, or as
 * `watch` schedules; the listener and
 * timers are removed whatever happens, then `cleanup` runs.
 *
 * @example
 * const params = await awaitResponse(() => popup, read, state, 120_000, signal, () => popup.close())
 */
export function awaitResponse(
  source: () => unknown,
  read: ResponseReader,
  state: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  cleanup: () => void,
  watch?: (failAfter: (ms: number, error: unknown) => void) => void,
  timedOut: () => unknown = () => new AuthClientError('timeout', 'timeout'),
): Promise<URLSearchParams> {
  const timers: ReturnType<typeof setTimeout>[] = []
  let onMessage: (event: MessageEvent) => void = () => {}
  let onAbort = () => {}
  return new Promise<URLSearchParams>((resolve, reject) => {
    onAbort = () => reject(signal?.reason)
    // Nothing is opened for a signal aborted already (a client disposed meanwhile).
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort)
    onMessage = (event) => {
      const params = event.source && event.source === source() ? read(event) : undefined
      if (params?.get('state') === state) resolve(params)
    }
    addEventListener('message', onMessage)
    timers.push(setTimeout(() => reject(timedOut()), timeoutMs))
    watch?.((ms, error) => timers.push(setTimeout(reject, ms, error)))
  }).finally(() => {
    removeEventListener('message', onMessage)
    signal?.removeEventListener('abort', onAbort)
    for (const timer of timers) clearTimeout(timer)
    cleanup()
  })
}

/**
 * Loads `url` (an authorization request with `prompt=none`) in a hidden iframe and resolves with
 * the authorization response posted from it (see {@link awaitResponse}).
 *
 * A frame that loads a page the app can read (its own origin or `about:blank`) without answering
 * is `frame_blocked` after {@link FRAME_ANSWER_GRACE_MS}: that page cannot be the provider's. A
 * cross-origin page may be one of the provider's intermediate pages on its way to the redirect,
 * so only `timeoutMs` bounds those; when it passes, a frame that showed such a page is
 * `frame_blocked` too (Chromium shows a page blocked by X-Frame-Options or CSP `frame-ancestors`
 * as an unreadable error page), and one that loaded nothing is a `timeout`.
 *
 * @example
 * const params = await runSilentFrame(url, read, state, 10_000, signal)
 */
export function runSilentFrame(
  url: URL,
  read: ResponseReader,
  state: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<URLSearchParams> {
  const frame = document.createElement('iframe')
  let loaded = false
  return awaitResponse(
    () => frame.contentWindow,
    read,
    state,
    timeoutMs,
    signal,
    () => frame.remove(),
    (failAfter) => {
      frame.onload = () => {
        loaded = true
        let readable = false
        try {
          readable = frame.contentWindow?.location.href !== undefined
        } catch {
          // A cross-origin page: the provider's, or a browser error page.
        }
        if (readable)
          failAfter(FRAME_ANSWER_GRACE_MS, new AuthClientError('frame_blocked', 'blocked'))
      }
      frame.hidden = true
      frame.src = url.href
      document.body.append(frame)
    },
    () => new AuthClientError(loaded ? 'frame_blocked' : 'timeout', loaded ? 'blocked' : 'timeout'),
  )
}
