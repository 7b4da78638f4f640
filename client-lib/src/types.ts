import type { AuthClientError } from './errors.js'

/**
 * Extra parameters of an authorization request (OIDC Core §3.1.2.1, RFC 8707 `resource`, and any
 * the provider defines, such as `audience`). Undefined and empty values are left out.
 *
 * @example
 * const params: AuthorizationParams = { audience: 'https://api.example.com', max_age: 300 }
 */
export interface AuthorizationParams {
  audience?: string
  resource?: string
  acr_values?: string
  max_age?: number | string
  ui_locales?: string
  login_hint?: string
  prompt?: string
  [parameter: string]: string | number | undefined
}

/**
 * How an authorization request reaches the provider and its response comes back, for silent
 * renewal (`silentTransport`) and for extensions such as the popup. The library builds the request
 * (state, nonce, PKCE S256), and validates and redeems whatever `run` answers.
 *
 * @example
 * import { webMessage } from '@edge-identity/client-lib/web-message'
 * createAuthClient({ ...options, silentTransport: webMessage() })
 */
export interface AuthorizationTransport {
  /** `redirect_uri` of the request; default the silent redirect URI, or `redirectUri`. */
  redirectUri?: string | undefined
  /** Extra parameters, for example `{ response_mode: 'web_message' }`. */
  params?: AuthorizationParams
  /**
   * Opens `url` and answers the authorization response's parameters (`code` or `error`, `state`,
   * `iss`), only from the window it opened and with this `state`. Must stop by `timeoutMs` and
   * when `signal` aborts, and remove everything it created.
   */
  run(request: {
    url: URL
    state: string
    timeoutMs: number
    signal: AbortSignal
  }): Promise<URLSearchParams>
}

/**
 * Binds the tokens to a key the app holds (a sender constraint: DPoP, RFC 9449, see
 * `@edge-identity/client-lib/dpop`). The core asks it for parameters of every authorization
 * request, lets it send every token request and every `auth.fetch()` of a bound token, and tells
 * it when the user signed out.
 *
 * @example
 * import { dpop } from '@edge-identity/client-lib/dpop'
 * createAuthClient({ ...options, tokenBinding: dpop() })
 */
export interface TokenBinding {
  /** Parameters added to every authorization request (`dpop_jkt`, RFC 9449 §10). */
  params(): Promise<AuthorizationParams>
  /**
   * Sends a request through `http`: a token request (no `accessToken`), or a resource request
   * with a bound `accessToken` (the binding sets `Authorization` itself).
   */
  send(
    http: typeof fetch,
    input: RequestInfo | URL,
    init: RequestInit,
    accessToken?: string,
  ): Promise<Response>
  /** The user signed out, in this tab (`mine`) or another: the next sign-in gets a new key. */
  reset(mine: boolean): void
}

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
  /** The page that serves `silent-callback.html` (same origin as the app); not needed with a
   * `silentTransport` that brings its own (web_message). */
  silentRedirectUri?: string
  /** Where `end_session_endpoint` returns after sign-out (registered with the client). */
  postLogoutRedirectUri?: string
  /** Requested scope (RFC 6749 §3.3). Default `'openid profile email'`. */
  scope?: string
  /** Sent with every authorization request (sign-in and silent renewal). */
  authorizationParams?: AuthorizationParams
  /** Renew this many seconds before the access token expires. Default 60. */
  renewLeadSeconds?: number
  /** Give up on a silent renewal after this many milliseconds. Default 10 000. */
  silentTimeoutMs?: number
  /** Give up on a request to the provider (discovery, JWKS, token) after this. Default 10 000. */
  requestTimeoutMs?: number
  /** Clock skew allowed when checking the ID token's `exp` and `iat`. Default 30. */
  clockToleranceSeconds?: number
  /** Where tokens live: `'memory'` (default, gone on reload) or `'session'` (sessionStorage). */
  storage?: 'memory' | 'session'
  /**
   * When the iframe cannot reach the session cookie (cross-site issuer, third-party cookies
   * blocked), offer to navigate the visible tab to the issuer with `prompt=none` (see the
   * `beforeTopLevelFallback` event). Default false.
   */
  topLevelFallback?: boolean
  /** Origins `auth.fetch()` sends the access token to. Default: the app's and the issuer's. */
  fetchOrigins?: string[]
  /** How silent renewal reaches the provider. Default: a hidden iframe and the silent callback
   * page at `silentRedirectUri`. */
  silentTransport?: AuthorizationTransport
  /** Binds tokens to a key of the app: `dpop()` of `@edge-identity/client-lib/dpop`. */
  tokenBinding?: TokenBinding
  /** A fetch to use instead of the global one (tests, instrumentation). */
  fetch?: typeof fetch
}

/**
 * Options of `signIn()` (OIDC Core §3.1.2.1).
 *
 * @example
 * await auth.signIn({ returnTo: '/settings', appState: { tab: 2 } })
 */
export interface SignInOptions {
  /** Path (or URL of this origin) answered by `handleRedirectCallback()`. Default: current. */
  returnTo?: string
  /** Anything JSON can hold, kept in this tab for the round trip and answered back. */
  appState?: unknown
  /** Parameters for this request, over the client's: `login_hint`, `prompt`, `max_age`, ... */
  authorizationParams?: AuthorizationParams
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
  /** The token endpoint's `token_type`: `Bearer`, or `DPoP` for a token bound to a key. */
  tokenType?: string
  claims: UserClaims
}

/**
 * Events and their details.
 *
 * - `signedIn`: tokens arrived from a sign-in (in this tab or another).
 * - `renewed`: `durationMs` of the renewal, `network` true when this tab did the network work,
 *   `by` the id of the tab that did it, and the new `expiresAt`.
 * - `renewalFailed`: the typed error. Tokens are kept; nothing is signed out.
 * - `expired`: the access token expired without a renewal (the user is kept).
 * - `beforeTopLevelFallback`: with `topLevelFallback`, the library would navigate the tab to the
 *   provider; `preventDefault()` keeps the page. A renewal started by the timer never navigates:
 *   `automatic` is true and the app may call `renew()` on a user action.
 * - `signedOut`: this tab or another signed out.
 *
 * @example
 * auth.on('renewed', ({ durationMs, network, by }) => log(`${by}: ${durationMs} ms`, network))
 */
export interface AuthEventMap {
  signedIn: { user: UserClaims }
  renewed: { durationMs: number; network: boolean; by: string; expiresAt: number }
  renewalFailed: { error: AuthClientError }
  expired: Record<string, never>
  beforeTopLevelFallback: { error: AuthClientError; automatic: boolean; preventDefault(): void }
  signedOut: Record<string, never>
}

/**
 * What `handleRedirectCallback()` answers.
 *
 * @example
 * const { returnTo, appState } = await auth.handleRedirectCallback()
 * router.replace(returnTo)
 */
export interface RedirectCallbackResult {
  /** Where the user was when sign-in started (path, query and fragment of this origin). */
  returnTo: string
  /** The `appState` given to `signIn()`. */
  appState: unknown
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
  /** Whether a user is signed in: a valid token, or one renewed silently for a known session. */
  isAuthenticated(): Promise<boolean>
  /** Looks at the provider silently (also for a visitor never signed in here); the user or
   * undefined. Never looks after `signOut()` until the next interactive sign-in. */
  checkSession(): Promise<UserClaims | undefined>
  /** The current tokens (ID token, access token, expiry, scope), or undefined. */
  getTokens(): TokenSet | undefined
  /** Navigates to the authorization endpoint (authorization code + PKCE S256, RFC 7636). */
  signIn(options?: SignInOptions): Promise<void>
  /** Completes a sign-in on the redirect URI; validates, exchanges the code, cleans the URL. */
  handleRedirectCallback(url?: string): Promise<RedirectCallbackResult>
  /** A valid access token, renewed silently first when it expires soon. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>
  /** Renews now (or adopts a renewal another tab just did). */
  renew(): Promise<void>
  /** `fetch` with `Authorization: Bearer` (RFC 6750 §2.1), or `DPoP` with a proof for a bound
   * token (RFC 9449 §7.1), to `fetchOrigins` only. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /** Drops tokens in every tab, then navigates to `end_session_endpoint` when advertised. */
  signOut(): Promise<void>
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof AuthEventMap>(type: K, listener: (detail: AuthEventMap[K]) => void): () => void
  /** Aborts renewals in flight; removes timers, listeners, frames and the tab channel. */
  dispose(): void
}
