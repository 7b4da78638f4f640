import { createHash, randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'

/** What a web_message authorization page posted to the page that framed it. */
export interface PostedAuthorizationResponse {
  /** `event.origin`: the origin of the page that posted. */
  origin: string
  /** Whether `event.source` was the frame the page created. */
  fromFrame: boolean
  data: { type?: string; response?: Record<string, string> }
}

/**
 * Loads an authorization request with `response_mode=web_message` (and `prompt=none`) in a hidden
 * iframe of `page`, as a library renewing silently does, and answers the first message posted
 * from `issuerOrigin` (OAuth 2.0 Web Message Response Mode), or throws after `timeoutMs`.
 */
export function webMessageInFrame(
  page: Page,
  authorizationUrl: string,
  issuerOrigin: string,
  timeoutMs = 10_000,
): Promise<PostedAuthorizationResponse> {
  return page.evaluate(
    ({ url, origin, timeout }) =>
      new Promise<PostedAuthorizationResponse>((resolve, reject) => {
        const frame = document.createElement('iframe')
        frame.hidden = true
        const done = () => {
          clearTimeout(timer)
          window.removeEventListener('message', onMessage)
          frame.remove()
        }
        const onMessage = (event: MessageEvent) => {
          if (event.origin !== origin) return
          // Before done(): a removed frame has no contentWindow.
          const fromFrame = event.source !== null && event.source === frame.contentWindow
          done()
          resolve({ origin: event.origin, fromFrame, data: event.data })
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`no web_message from ${origin} within ${timeout} ms`))
        }, timeout)
        window.addEventListener('message', onMessage)
        frame.src = url
        document.body.append(frame)
      }),
    { url: authorizationUrl, origin: issuerOrigin, timeout: timeoutMs },
  )
}

/** An S256 PKCE challenge of a throwaway verifier (the code is never redeemed). */
export function throwawayChallenge(): string {
  return createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url')
}
