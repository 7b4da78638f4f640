import type { AuthClientError } from './errors.js'

/**
 * Options of {@link createAuthClient}. Everything else comes from the issuer's discovery
 * document (OIDC Discovery §4).
 *
 * @example
 * const options: AuthClientOptions = {
 *   issuer: 'https://auth.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: 'https://app.example.com/callback',
 *   silentRedirectUri: 'https://app.example.com/silent-callback.html',
 * }
 */
export interface AuthClientOptions {
  /** The issuer identifier, byte for byte as in discovery (RFC 8414 §3.3). */
  issuer: string
  /** The public client's `client_id`. */
  clientId: string
  /** Where the top-level sign-in returns; call `handleRedirectCallback()` there. */
  redirectUri: string
  /** The page that serves `silent-callback.html` (same origin as the app). */
  silentRedirectUri: string
  /** Where `end_session_endpoint` returns after sign-out (registered with the client). */
  postLogoutRedirectUri?: string
  /** Requested scope (RFC 6749 §3.3). Default `'openid profile email'`. */
  scope?: string
  /** Renew this many seconds before the access token expires. Default 60. */
  renewLeadSeconds?: number
  /** Give up on a silent renewal after this many milliseconds. Default 10 000. */
  silentTimeoutMs?: number
  /** Where tokens live: `'memory'` (default, gone on reload) or `'session'` (sessionStorage). */
  storage?: 'memory' | 'session'
  /**
   * When the iframe cannot reach the session cookie (cross-site issuer, third-party cookies
   * blocked), navigate the visible tab to the issuer with `prompt=none` and come back to the
   * same place. Default false.
   */
  topLevelFallback?: boolean
  /** A fetch to use instead of the global one (tests, instrumentation). */
  fetch?: typeof fetch
}

/**
 * Options of `signIn()` (OIDC Core §3.1.2.1).
 *
 * @example
 * await auth.signIn({ returnTo: '/settings', loginHint: 'ada@example.com' })
 */
export interface SignInOptions {
  /** Path (or URL of this origin) answered by `handleRedirectCallback()`. Default: current. */
  returnTo?: string
  /** `login_hint` for the sign-in page. */
  loginHint?: string
  /** `prompt`, for example `'login'` to force re-authentication. */
  prompt?: string
}

/**
 * Claims of the validated ID token (OIDC Core §2, §5.1).
 *
 * @example
 * const email = auth.user?.email
 */
export interface UserClaims {
  sub: string
  email?: string
  name?: string
  [claim: string]: unknown
}

/**
 * What the library keeps for a signed-in user. `expiresAt` and `renewedAt` are epoch
 * milliseconds of this machine's clock (`expires_in` is relative, RFC 6749 §5.1, so clock skew
 * with the server does not matter).
 *
 * @example
 * const seconds = (tokens.expiresAt - Date.now()) / 1000
 */
export interface TokenSet {
  accessToken: string
  idToken: string
  expiresAt: number
  renewedAt: number
  scope?: string | undefined
  claims: UserClaims
}

/**
 * Events and their details.
 *
 * - `signedIn`: tokens arrived from a sign-in (in this tab or another).
 * - `renewed`: `durationMs` of the renewal, `network` true when this tab did the network work,
 *   `by` the id of the tab that did it, and the new `expiresAt`.
 * - `renewalFailed`: the typed error. Tokens are kept; nothing is signed out.
 * - `signedOut`: this tab or another signed out.
 *
 * @example
 * auth.on('renewed', ({ durationMs, network, by }) => log(`${by}: ${durationMs} ms`, network))
 */
export interface AuthEventMap {
  signedIn: { user: UserClaims }
  renewed: { durationMs: number; network: boolean; by: string; expiresAt: number }
  renewalFailed: { error: AuthClientError }
  signedOut: Record<string, never>
}

/**
 * What `handleRedirectCallback()` answers.
 *
 * @example
 * const { returnTo } = await auth.handleRedirectCallback()
 * router.replace(returnTo)
 */
export interface RedirectCallbackResult {
  /** Where the user was when sign-in started (path, query and fragment of this origin). */
  returnTo: string
  user: UserClaims
}

/**
 * A client for one issuer and one `client_id`. See {@link createAuthClient}.
 *
 * @example
 * const res = await auth.fetch('/api/me')
 */
export interface AuthClient {
  /** Id of this instance (one per tab in practice); appears in `renewed` events as `by`. */
  readonly tabId: string
  /** Claims of the signed-in user, or undefined. */
  readonly user: UserClaims | undefined
  /** When the access token expires (epoch ms), or undefined. */
  readonly expiresAt: number | undefined
  /** Navigates to the authorization endpoint (authorization code + PKCE S256, RFC 7636). */
  signIn(options?: SignInOptions): Promise<void>
  /** Completes a sign-in on the redirect URI; validates, exchanges the code, cleans the URL. */
  handleRedirectCallback(url?: string): Promise<RedirectCallbackResult>
  /** A valid access token, renewed silently first when it expires soon. */
  getAccessToken(): Promise<string>
  /** Renews now through the hidden iframe (or adopts a renewal another tab just did). */
  renew(): Promise<void>
  /** `fetch` with `Authorization: Bearer` (RFC 6750 §2.1). */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Drops tokens in every tab, then navigates to `end_session_endpoint` when advertised. */
  signOut(): Promise<void>
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof AuthEventMap>(type: K, listener: (detail: AuthEventMap[K]) => void): () => void
  /** Removes timers, listeners and the tab channel. */
  dispose(): void
}
