/**
 * @edge-identity/client-lib/popup: sign-in in a popup window; the page never navigates.
 *
 * @example
 * import { signInWithPopup } from '@edge-identity/client-lib/popup'
 * button.onclick = async () => {
 *   const { user } = await signInWithPopup(auth)
 * }
 *
 * @packageDocumentation
 */
import { AuthClientError } from './errors.js'
import { clientInternals } from './internals.js'
import { awaitResponse, callbackPageMessage } from './silent-renew.js'
import type { AuthClient, RedirectCallbackResult, SignInOptions } from './types.js'
import { webMessageResponse } from './web-message.js'

/** How often to look whether the user closed the popup (a closed window posts no event). */
const CLOSED_POLL_MS = 500

/**
 * Options of {@link signInWithPopup}: those of `signIn()` and how the popup answers.
 *
 * @example
 * await signInWithPopup(auth, { appState: { from: 'cart' }, responseMode: 'web_message' })
 */
export interface PopupSignInOptions extends SignInOptions {
  /**
   * How the response comes back: `'callback-page'` (default) through the silent callback page at
   * the client's `silentRedirectUri`, which posts to its opener; `'web_message'` through the
   * provider's own page (response_mode=web_message, redirect_uri the client's `redirectUri`).
   */
  responseMode?: 'callback-page' | 'web_message'
  /** `window.open` features. Default a 500 x 650 popup. */
  popupFeatures?: string
  /** Give up (and close the popup) after this many milliseconds. Default 5 minutes. */
  timeoutMs?: number
  /** A window the app opened itself (synchronously in the click handler), to use as the popup. */
  popup?: Window
}

/**
 * Signs in through a popup: the authorization request (code + PKCE S256, `state`, `nonce`) opens
 * in a new window, its response is taken only from that window (and origin) with this `state`,
 * then validated, redeemed and broadcast to every tab like a redirect sign-in. Call it directly
 * in a click handler, or browsers block the popup.
 *
 * Errors are AuthClientError: `popup_blocked` (the browser refused the window), `popup_closed`
 * (the user closed it first), `timeout`, and those of a callback.
 *
 * @example
 * try {
 *   await signInWithPopup(auth)
 * } catch (err) {
 *   if (err instanceof AuthClientError && err.code === 'popup_blocked') await auth.signIn()
 * }
 */
export function signInWithPopup(
  auth: AuthClient,
  options: PopupSignInOptions = {},
): Promise<RedirectCallbackResult> {
  const { options: client, signInWith } = clientInternals(auth)
  // Opened before anything is awaited: browsers allow popups only within the user's click.
  const popup =
    options.popup ??
    open('', 'edge-identity-sign-in', options.popupFeatures ?? 'popup,width=500,height=650')
  if (!popup) return Promise.reject(new AuthClientError('popup_blocked', 'popup blocked'))
  const webMessage = options.responseMode === 'web_message'
  let poll: ReturnType<typeof setInterval> | undefined
  return signInWith(
    {
      redirectUri: webMessage ? client.redirectUri : client.silentRedirectUri,
      params: webMessage ? { response_mode: 'web_message' } : {},
      run: ({ url, state, signal }) => {
        popup.location.href = url.href
        return awaitResponse(
          () => popup,
          webMessage ? webMessageResponse(url.origin) : callbackPageMessage(location.origin),
          state,
          options.timeoutMs ?? 300_000,
          signal,
          () => clearInterval(poll),
          (failAfter) => {
            poll = setInterval(() => {
              if (popup.closed) failAfter(0, new AuthClientError('popup_closed', 'popup closed'))
            }, CLOSED_POLL_MS)
          },
        )
      },
    },
    options,
  ).finally(() => popup.close())
}
