import { AuthClientError } from './errors.js'

/**
 * After the frame's `load` event, how long to wait for its answer. The silent callback page
 * posts while it is parsed, before `load`; a frame that loads without answering shows something
 * else: a page blocked by X-Frame-Options / CSP `frame-ancestors`, or a server that displays UI
 * for `prompt=none` (which OIDC Core §3.1.2.1 forbids).
 *
 * @example
 * await vi.advanceTimersByTimeAsync(FRAME_ANSWER_GRACE_MS) // in a test: now frame_blocked
 */
export const FRAME_ANSWER_GRACE_MS = 1000

/**
 * Loads `url` (an authorization request with `prompt=none`) in a hidden iframe and resolves with
 * the authorization response parameters that the silent callback page posts back.
 *
 * A message is accepted only from this iframe's window, from `origin` (the silent redirect URI's
 * origin) and with the expected `state` (RFC 6749 §10.12, RFC 9700 §4.7); anything else is
 * ignored. The iframe, the listener and the timers are removed whatever happens.
 *
 * @example
 * const params = await runSilentFrame(url, 'https://app.example.com', state, 10_000)
 */
export function runSilentFrame(
  url: URL,
  origin: string,
  state: string,
  timeoutMs: number,
): Promise<URLSearchParams> {
  const frame = document.createElement('iframe')
  let timeout: ReturnType<typeof setTimeout> | undefined
  let grace: ReturnType<typeof setTimeout> | undefined
  let onMessage: (event: MessageEvent) => void = () => {}
  return new Promise<URLSearchParams>((resolve, reject) => {
    const fail = (code: 'timeout' | 'frame_blocked') => reject(new AuthClientError(code, code))
    onMessage = (event) => {
      if (event.source && event.source === frame.contentWindow && event.origin === origin) {
        // Relative to this page, so a non-URL message is ignored instead of throwing.
        const params = new URL(String(event.data), location.href).searchParams
        if (params.get('state') === state) resolve(params)
      }
    }
    addEventListener('message', onMessage)
    timeout = setTimeout(fail, timeoutMs, 'timeout')
    frame.onload = () => {
      grace = setTimeout(fail, FRAME_ANSWER_GRACE_MS, 'frame_blocked')
    }
    frame.hidden = true
    frame.src = url.href
    document.body.append(frame)
  }).finally(() => {
    removeEventListener('message', onMessage)
    clearTimeout(timeout)
    clearTimeout(grace)
    frame.remove()
  })
}
