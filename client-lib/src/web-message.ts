/**
 * @edge-identity/client-lib/web-message: silent renewal with `response_mode=web_message` (OAuth 2.0
 * Web Message Response Mode, draft-sakimura-oauth-wmrm, as node-oidc-provider and auth0-spa-js do
 * it). The provider answers the hidden iframe with a page that posts the authorization response
 * to the app's origin, so the app serves no silent callback page.
 *
 * @example
 * import { createAuthClient } from '@edge-identity/client-lib'
 * import { webMessage } from '@edge-identity/client-lib/web-message'
 * const auth = createAuthClient({ issuer, clientId, redirectUri, silentTransport: webMessage() })
 *
 * @packageDocumentation
 */
import { type ResponseReader, runSilentFrame } from './silent-renew.js'
import type { AuthorizationTransport } from './types.js'

/**
 * Reads a web_message authorization response: accepted only from `origin` (the provider's page)
 * and only as `{ type: 'authorization_response', response: { code | error, state, iss } }`. The
 * library then checks `state` and `iss` (RFC 9207) like any response.
 *
 * @example
 * const read = webMessageResponse('https://auth.example.com')
 */
export const webMessageResponse =
  (origin: string): ResponseReader =>
  (event) => {
    const { type, response } = Object(event.data)
    return event.origin === origin &&
      type === 'authorization_response' &&
      Object(response) === response
      ? new URLSearchParams(response)
      : undefined
  }

/**
 * Options of {@link webMessage}.
 *
 * @example
 * webMessage({ redirectUri: 'https://app.example.com/callback' })
 */
export interface WebMessageOptions {
  /**
   * The `redirect_uri` sent (registered with the client; the provider posts to its origin).
   * Default: the client's `redirectUri`.
   */
  redirectUri?: string
}

/**
 * A silent renewal transport (`silentTransport` of createAuthClient) that loads the authorization
 * request with `prompt=none` and `response_mode=web_message` in a hidden iframe and takes the
 * response the provider's page posts from that iframe, from the authorization endpoint's origin.
 * The provider must advertise `web_message` in `response_modes_supported`.
 *
 * @example
 * createAuthClient({ issuer, clientId, redirectUri, silentTransport: webMessage() })
 */
export function webMessage(options: WebMessageOptions = {}): AuthorizationTransport {
  return {
    redirectUri: options.redirectUri,
    params: { response_mode: 'web_message' },
    run: ({ url, state, timeoutMs, signal }) =>
      runSilentFrame(url, webMessageResponse(url.origin), state, timeoutMs, signal),
  }
}
