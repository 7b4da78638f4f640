/**
 * What went wrong, in terms an app can act on.
 *
 * - `interaction_required`: the server needs the user (`login_required`, `consent_required`,
 *   `interaction_required`, `account_selection_required`, OIDC Core §3.1.2.6). Call `signIn()`.
 * - `third_party_cookies_unavailable`: a silent renewal answered `login_required` while the issuer
 *   is cross-site to the app, so the browser most likely withheld the session cookie from the
 *   iframe. Host the issuer same-site, or enable `topLevelFallback`.
 * - `timeout`: the silent renewal did not answer within `silentTimeoutMs`, or a request to the
 *   server did not answer within `requestTimeoutMs` (transient).
 * - `frame_blocked`: the iframe showed a page that never answered: a page of the app's origin (or
 *   `about:blank`), at once; a provider's page (refused by X-Frame-Options or `frame-ancestors`,
 *   or UI shown for `prompt=none`) when `silentTimeoutMs` passes.
 * - `network`: the request did not reach the server (transient).
 * - `server_error`: `server_error`, `temporarily_unavailable` or an HTTP 5xx (transient).
 * - `oauth_error`: any other error the server answered (`invalid_grant`, `access_denied`, ...).
 * - `invalid_response`: a response failed validation (state, `iss`, ID token, ...).
 * - `subject_changed`: a renewal returned another user (`sub`); its tokens were not accepted.
 * - `popup_blocked`, `popup_closed` (`/popup`): the browser refused the window, or the user
 *   closed it before the sign-in finished.
 *
 * @example
 * auth.on('renewalFailed', ({ error }) => {
 *   if (error.code === 'third_party_cookies_unavailable') showBanner(error.message)
 * })
 */
export type AuthClientErrorCode =
  | 'interaction_required'
  | 'third_party_cookies_unavailable'
  | 'timeout'
  | 'frame_blocked'
  | 'network'
  | 'server_error'
  | 'oauth_error'
  | 'invalid_response'
  | 'subject_changed'
  | 'popup_blocked'
  | 'popup_closed'

/**
 * The one error type of the library. `error` and `error_description` are the server's (RFC 6749
 * §4.1.2.1, §5.2), `cause` is the original error or the server's answer.
 *
 * @example
 * try {
 *   await auth.getAccessToken()
 * } catch (err) {
 *   if (err instanceof AuthClientError && err.code === 'interaction_required') await auth.signIn()
 * }
 */
export class AuthClientError extends Error {
  override name = 'AuthClientError'
  /** Discriminates the failure; see {@link AuthClientErrorCode}. */
  readonly code: AuthClientErrorCode
  /** The server's `error` code, when the server answered one. */
  readonly error: string | undefined
  /** The server's `error_description`, when present. */
  readonly error_description: string | undefined
  /** On a failed `handleRedirectCallback()`: where the sign-in started, when known. */
  returnTo?: string
  /** On a failed `handleRedirectCallback()`: the `appState` given to `signIn()`, when known. */
  appState?: unknown

  constructor(
    code: AuthClientErrorCode,
    message: string,
    cause?: unknown,
    error?: string,
    description?: string,
  ) {
    super(message, { cause })
    this.code = code
    this.error = error
    this.error_description = description
  }
}

/**
 * Whether retrying later may succeed; the library never signs out on such an error.
 *
 * @example
 * if (isTransient(err)) showOfflineBanner()
 */
export function isTransient(err: AuthClientError): boolean {
  return /^(timeout|network|server_error)$/.test(err.code)
}

/**
 * An error the server answered (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6) as an
 * {@link AuthClientError}, classified by its `error` code and the HTTP status.
 *
 * @example
 * serverError('login_required', undefined, undefined) // code 'interaction_required'
 */
export function serverError(
  error: string,
  description: string | undefined,
  cause: unknown,
  status = 0,
): AuthClientError {
  const code = /^(login|consent|interaction|account_selection)_required$/.test(error)
    ? 'interaction_required'
    : /^(server_error|temporarily_unavailable)$/.test(error) || status > 499
      ? 'server_error'
      : 'oauth_error'
  return new AuthClientError(code, description ?? error, cause, error, description)
}

/**
 * Maps anything thrown inside the library to an {@link AuthClientError}: those pass unchanged, a
 * passed deadline (`AbortSignal.timeout`) is a `timeout`, anything else (a TypeError from a bug,
 * a malformed answer) an `invalid_response` with the original as `cause`. Network failures are
 * mapped where fetch is called, so a bug is never retried as a `network` error.
 *
 * @example
 * const error = toAuthClientError(err)
 * if (error.code === 'interaction_required') await auth.signIn()
 */
export function toAuthClientError(err: unknown): AuthClientError {
  if (err instanceof AuthClientError) return err
  const timeout = (err as Error)?.name === 'TimeoutError'
  return new AuthClientError(
    timeout ? 'timeout' : 'invalid_response',
    String((err as Error)?.message ?? err),
    err,
  )
}
