import { type AuthorizationServer, generateRandomState } from 'oauth4webapi'
import {
  type AuthorizationTransaction,
  createAuthorizationRequest,
} from './authorization-request.js'
import { exchangeCode } from './code-exchange.js'
import { discover } from './discovery.js'
import { AuthClientError, isTransient, toAuthClientError } from './errors.js'
import { createEmitter } from './events.js'
import type { KeyCache } from './id-token-signature.js'
import { registerInternals } from './internals.js'
import { createRenewalSchedule } from './renewal-schedule.js'
import { signOutUrl } from './sign-out.js'
import { callbackPageMessage, runSilentFrame } from './silent-renew.js'
import { siteOf } from './site.js'
import { local, readJson, takeJson, writeJson } from './storage.js'
import { abortable, sleep, type TabMessage, withTabLock } from './tab-coordination.js'
import type {
  AuthClient,
  AuthClientOptions,
  AuthEventMap,
  AuthorizationParams,
  AuthorizationTransport,
  RedirectCallbackResult,
  SignInOptions,
  TokenSet,
} from './types.js'

/** Retries of a silent renewal after a transient failure, with backoff (1 s, then 4 s). */
const RENEW_RETRIES = 2
const RETRY_BASE_MS = 1000
/** After the retries, the next attempt while the tab stays open. */
const RETRY_LATER_MS = 30_000
/** getAccessToken() renews first when less validity than this remains. */
const MIN_VALIDITY_MS = 5000
/** setTimeout fires at once for delays above 2^31 - 1 ms (HTML §8.6 timers). */
const MAX_TIMER_MS = 2 ** 31 - 1

/** A path of this origin (`/` otherwise), so `returnTo` never becomes an open redirect. */
function localPath(target: string): string {
  const url = new URL(target, location.href)
  return url.origin === location.origin ? url.href.slice(url.origin.length) : '/'
}

/**
 * Creates the client for one issuer and one public `client_id`: PKCE sign-in by redirect,
 * silent renewal (a hidden iframe by default) coordinated across tabs, sign-out, and an
 * authorized fetch. Creating it twice (framework strict modes) is harmless: instances coordinate
 * like tabs do, through the same Web Lock and BroadcastChannel, and `dispose()` detaches one.
 * Creating it without a document (server-side rendering) does nothing; the methods that need a
 * browser then throw.
 *
 * @example
 * const auth = createAuthClient({
 *   issuer: 'https://auth.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: `${location.origin}/callback`,
 *   silentRedirectUri: `${location.origin}/silent-callback.html`,
 *   postLogoutRedirectUri: `${location.origin}/`,
 * })
 * auth.on('signedOut', () => render())
 * if (location.pathname === '/callback') {
 *   const { returnTo } = await auth.handleRedirectCallback()
 *   history.replaceState(null, '', returnTo)
 * }
 * const token = await auth.getAccessToken()
 */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  const {
    issuer,
    clientId,
    redirectUri,
    silentRedirectUri,
    scope = 'openid profile email',
    authorizationParams,
    renewLeadSeconds = 60,
    silentTimeoutMs = 10_000,
    requestTimeoutMs = 10_000,
    clockToleranceSeconds = 30,
    storage = 'memory',
    topLevelFallback = false,
    tokenBinding: binding,
  } = options
  const key = `edge-identity:${clientId}@${issuer}`
  const transactionKey = `${key}:tx`
  const doneKey = `${transactionKey}:done`
  const noFallbackKey = `${key}:no-fallback`
  // The session hint in localStorage (no secret): 'in' after an interactive sign-in, 'out' after
  // a sign-out, absent for a visitor who never signed in here (or whose session ended).
  const hintKey = `${key}:session`
  const browser = typeof document === 'object'
  const tabId = generateRandomState()
  // Aborted by dispose(): frames, requests, lock requests and retry timers end with it.
  const life = new AbortController()
  const { signal } = life
  // Every request has a deadline (a hung server must not hold the renewal lock). Network failures
  // become `network` errors where they happen (so a TypeError from a bug is not retried); the
  // wrapper also avoids "Illegal invocation" from a detached global fetch.
  const http: typeof fetch = (input, init) =>
    (options.fetch ?? fetch)(input, {
      ...init,
      signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]),
    }).catch((err) => {
      throw new AuthClientError(err?.name === 'TimeoutError' ? 'timeout' : 'network', `${err}`, err)
    })
  const events = createEmitter<AuthEventMap>()
  // Tokens live in memory unless `storage: 'session'` (see setTokens).
  const persist = storage === 'session'
  let tokens: TokenSet | undefined = persist ? readJson(key) : undefined
  // Without BroadcastChannel each tab works alone.
  const channel = browser && globalThis.BroadcastChannel && new BroadcastChannel(key)
  if (channel) channel.onmessage = (event) => receive(event.data)
  const schedule = createRenewalSchedule(
    () => tokens,
    renewLeadSeconds * 1000,
    () => {
      renewTokens(false, true).catch(() => {}) // reported by the renewalFailed event
    },
  )
  const transport: AuthorizationTransport = options.silentTransport ?? {
    run: ({ url, state, timeoutMs, signal }) =>
      runSilentFrame(
        url,
        callbackPageMessage(new URL(silentRedirectUri as string).origin),
        state,
        timeoutMs,
        signal,
      ),
  }
  const keys: KeyCache = {}
  let metadata: Promise<AuthorizationServer> | undefined
  let inflight: Promise<TokenSet> | undefined
  let callback: [url: string, result: Promise<RedirectCallbackResult>] | undefined
  let failure: Extract<TabMessage, { type: 'failed' }> | undefined
  let expiry: ReturnType<typeof setTimeout> | undefined
  let signedOutAt = 0
  let signOuts = 0

  const need = () => {
    if (!browser) throw new Error('@edge-identity/client-lib: no document here (server-side?)')
  }
  // The current tokens while they hold at least MIN_VALIDITY_MS more.
  const valid = () =>
    tokens && tokens.expiresAt - Date.now() > MIN_VALIDITY_MS ? tokens : undefined

  // sessionStorage is per tab and per origin: nothing is shared with other tabs through it.
  function setTokens(next: TokenSet | undefined): void {
    tokens = next
    if (persist) writeJson(key, next)
    clearTimeout(expiry)
    if (next) {
      const left = Math.min(next.expiresAt - Date.now(), MAX_TIMER_MS)
      expiry = setTimeout(() => events.emit('expired', {}), left)
    }
  }

  const discoverOnce = () =>
    (metadata ??= discover(issuer, http).catch((err) => {
      metadata = undefined
      throw err
    }))

  const authorize = async (redirect: string, extra: AuthorizationParams) =>
    createAuthorizationRequest(await discoverOnce(), clientId, redirect, {
      scope,
      ...authorizationParams,
      ...extra,
      ...(await binding?.params()),
    })

  const exchange = async (
    response: URLSearchParams,
    transaction: AuthorizationTransaction,
    sub: string | undefined,
  ) =>
    exchangeCode(
      {
        as: await discoverOnce(),
        clientId,
        http,
        keys,
        tolerance: clockToleranceSeconds,
        send: binding && ((input, init = {}) => binding.send(http, input, init)),
      },
      response,
      transaction,
      sub,
    )

  // Every change of session state goes through here, whether it happened in this tab (`mine`:
  // then it is broadcast to the others) or arrived from another tab or instance.
  function receive(message: TabMessage, mine?: boolean): void {
    if (signal.aborted) return
    if (mine && channel) channel.postMessage(message)
    if (message.type === 'failed') {
      failure = message
    } else if (message.type === 'signedOut') {
      signedOutAt = Date.now()
      signOuts++
      binding?.reset(!!mine)
      local(hintKey, 'out')
      setTokens(undefined) // the schedule finds no tokens and stops
      events.emit('signedOut', {})
    } else {
      const { tokens: next, interactive, durationMs, by } = message
      const previous = tokens
      // Never resurrect a session signed out meanwhile, and never let another tab's renewal
      // switch this tab to another user (see exchangeCode).
      const otherUser = !interactive && previous && previous.claims.sub !== next.claims.sub
      if (!mine && (next.renewedAt < signedOutAt || otherUser)) return
      setTokens(next)
      schedule.schedule()
      if (interactive || !previous) events.emit('signedIn', { user: next.claims })
      else
        events.emit('renewed', { durationMs, network: by === tabId, by, expiresAt: next.expiresAt })
    }
  }

  async function renewWithRetries(current: TokenSet | undefined): Promise<TokenSet> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { url, transaction } = await authorize(
          // A transport of its own (web_message) needs no silent callback page.
          options.silentTransport
            ? (transport.redirectUri ?? redirectUri)
            : (silentRedirectUri as string),
          {
            ...transport.params,
            prompt: 'none',
            // OIDC Core §3.1.2.1: id_token_hint SHOULD be sent with prompt=none.
            id_token_hint: current?.idToken,
          },
        )
        const { state } = transaction
        const response = await transport.run({ url, state, timeoutMs: silentTimeoutMs, signal })
        return await exchange(response, transaction, current?.claims.sub)
      } catch (err) {
        const error = toAuthClientError(err)
        // Where third-party cookies are blocked (Chromium by default, Safari, Firefox) a cross-site
        // iframe carries no session cookie, so the server answers login_required.
        if (error.error === 'login_required' && siteOf(issuer) !== siteOf(location.href)) {
          throw new AuthClientError(
            'third_party_cookies_unavailable',
            'host the issuer same-site, or use topLevelFallback',
            err,
            error.error,
          )
        }
        // A timeout already waited its whole deadline (a hung server or frame): retrying inline
        // would hold the renewal lock, and every tab, that much longer. The schedule retries later.
        const retry = isTransient(error) && error.code !== 'timeout'
        if (attempt >= RENEW_RETRIES || !retry || signal.aborted) throw error
        await sleep(RETRY_BASE_MS * 4 ** attempt, signal)
      }
    }
  }

  // One renewal at a time in a tab (the shared promise) and across tabs (the Web Lock). A tab that
  // waited for the lock adopts the result the holder broadcast instead of renewing again.
  // Without tokens, only a tab that knows of a session (the hint) looks silently, or `explicit`
  // (checkSession) for a visitor who has not signed out: anonymous visitors cost nothing.
  function renewTokens(force: boolean, automatic?: boolean, explicit?: boolean) {
    const hint = local(hintKey)
    if (!tokens && hint !== 'in' && (!explicit || hint === 'out')) {
      return Promise.reject(new AuthClientError('interaction_required', 'no session'))
    }
    inflight ??= renewAcrossTabs(force, automatic).finally(() => {
      inflight = undefined
    })
    return inflight
  }

  async function renewAcrossTabs(force: boolean, automatic?: boolean): Promise<TokenSet> {
    // What this tab knew when it asked: anything newer that arrives while it waits for the lock
    // is another tab's (or instance's) result, adopted instead of renewing again.
    const seenTokens = tokens
    const seenFailure = failure
    // A holder that stalls must not stop this tab for longer than one attempt's deadlines.
    const wait = AbortSignal.any([signal, AbortSignal.timeout(silentTimeoutMs + requestTimeoutMs)])
    try {
      return await withTabLock(`${key}:renew`, wait, async () => {
        const current = tokens
        if (current && (current !== seenTokens || (!force && !schedule.isDue(current)))) {
          return current
        }
        if (failure && failure !== seenFailure) {
          throw new AuthClientError(failure.code, failure.message, undefined, failure.error)
        }
        const started = Date.now()
        const seenSignOuts = signOuts
        try {
          const renewed = await renewWithRetries(current)
          if (signOuts !== seenSignOuts) {
            throw new AuthClientError('interaction_required', 'signed out')
          }
          const durationMs = Date.now() - started
          receive(
            { type: 'tokens', tokens: renewed, interactive: false, durationMs, by: tabId },
            true,
          )
          return renewed
        } catch (err) {
          const { code, message, error } = toAuthClientError(err)
          receive({ type: 'failed', code, message, error }, true)
          throw err
        }
      })
    } catch (err) {
      const error = toAuthClientError(err)
      if (signal.aborted) throw error
      if (isTransient(error)) schedule.schedule(RETRY_LATER_MS)
      else schedule.pause()
      // The provider's session is gone: the next page load need not look for it.
      if (error.code === 'interaction_required' && local(hintKey) === 'in') local(hintKey, null)
      events.emit('renewalFailed', { error })
      if (
        error.code === 'third_party_cookies_unavailable' &&
        topLevelFallback &&
        !document.hidden &&
        !readJson(noFallbackKey)
      ) {
        // Never on a timer: the app is asked, and a renewal the app started may go ahead.
        let prevented = automatic
        const preventDefault = () => {
          prevented = true
        }
        events.emit('beforeTopLevelFallback', { error, automatic: !!automatic, preventDefault })
        if (!prevented) {
          await redirect({ prompt: 'none' }, true)
          return new Promise(() => {}) // the page is leaving
        }
      }
      throw error
    }
  }

  async function redirect(
    extra: AuthorizationParams,
    fallback?: boolean,
    returnTo?: string,
    appState?: unknown,
  ): Promise<void> {
    need()
    const { url, transaction } = await authorize(redirectUri, extra)
    // A top-level prompt=none stands in for a renewal: it must come back with the same user.
    const sub = fallback ? tokens?.claims.sub : undefined
    writeJson(transactionKey, {
      ...transaction,
      returnTo: localPath(returnTo ?? location.href),
      appState,
      fallback,
      sub,
    })
    location.assign(url)
  }

  // An interactive sign-in's response (redirect callback or popup): validated and redeemed, the
  // tokens stored and broadcast, the session hint set.
  async function complete(
    response: URLSearchParams,
    transaction: AuthorizationTransaction,
  ): Promise<RedirectCallbackResult> {
    const next = await exchange(response, transaction, transaction.sub)
    local(hintKey, 'in')
    receive({ type: 'tokens', tokens: next, interactive: true, durationMs: 0, by: tabId }, true)
    return {
      returnTo: transaction.returnTo ?? '/',
      appState: transaction.appState,
      user: next.claims,
    }
  }

  async function completeRedirect(url: string): Promise<RedirectCallbackResult> {
    const { pathname, searchParams } = new URL(url)
    const transaction = takeJson<AuthorizationTransaction>(transactionKey)
    // Where to return stays known for a reloaded callback (no secret in it).
    const { returnTo, appState } = transaction ?? readJson<AuthorizationTransaction>(doneKey) ?? {}
    writeJson(doneKey, { returnTo, appState })
    // Keep the code and state out of the address bar and history (RFC 9700 §4.2.4).
    history.replaceState(history.state, '', pathname)
    try {
      if (!transaction) throw new AuthClientError('invalid_response', 'no sign-in in progress')
      const result = await complete(searchParams, transaction)
      sessionStorage.removeItem(noFallbackKey)
      return result
    } catch (err) {
      // A failed top-level fallback must not start again on the next load (a redirect loop).
      if (transaction?.fallback) writeJson(noFallbackKey, 1)
      throw Object.assign(toAuthClientError(err), { returnTo, appState })
    }
  }

  async function getAccessToken(options: { signal?: AbortSignal } = {}): Promise<string> {
    need()
    return (valid() ?? (await abortable(renewTokens(false), options.signal))).accessToken
  }

  const client: AuthClient = {
    tabId,
    get user() {
      return tokens?.claims
    },
    get expiresAt() {
      return tokens?.expiresAt
    },
    isAuthenticated: () =>
      getAccessToken().then(
        () => true,
        () => false,
      ),
    async checkSession() {
      need()
      const current = valid()
      if (current) return current.claims
      try {
        return (await renewTokens(false, false, true)).claims
      } catch (err) {
        if ((err as AuthClientError).code === 'interaction_required') return undefined
        throw err
      }
    },
    getTokens: () => tokens && { ...tokens },
    signIn: ({ returnTo, appState, authorizationParams } = {}) =>
      redirect({ ...authorizationParams }, false, returnTo, appState),
    handleRedirectCallback(url) {
      need()
      url ??= location.href
      // Strict-mode effects call this twice; the code can be redeemed only once.
      if (callback?.[0] !== url) callback = [url, completeRedirect(url)]
      return callback[1]
    },
    getAccessToken,
    async renew() {
      need()
      await renewTokens(true)
    },
    async fetch(input, init = {}) {
      need()
      const target = new URL((input as Request).url ?? `${input}`, location.href).origin
      // The token goes only where the app allows, never to any URL. Entries compare as origins
      // (`https://api.example/` counts). A redirect to another origin drops the Authorization
      // header in the browser (Fetch §4.4, HTTP-redirect fetch).
      const allowed = (options.fetchOrigins ?? [location.origin, issuer]).map(
        (entry) => new URL(entry).origin,
      )
      if (!allowed.includes(target)) return (options.fetch ?? fetch)(input, init)
      // A Request's own headers are kept unless init replaces them (Fetch §5.4).
      const headers = new Headers(init.headers ?? (input as Request).headers)
      const token = await getAccessToken()
      // A bound token goes as DPoP with a proof (RFC 9449 §7.1); a Bearer one as Bearer.
      if (binding && /^dpop$/i.test(`${tokens?.tokenType}`)) {
        return binding.send(options.fetch ?? fetch, input, { ...init, headers }, token)
      }
      headers.set('authorization', `Bearer ${token}`)
      return (options.fetch ?? fetch)(input, { ...init, headers })
    },
    async signOut() {
      need()
      const idToken = tokens?.idToken
      receive({ type: 'signedOut' }, true)
      const url = signOutUrl(await discoverOnce(), clientId, idToken, options.postLogoutRedirectUri)
      if (url) location.assign(url)
    },
    on: events.on,
    dispose() {
      life.abort()
      schedule.dispose()
      clearTimeout(expiry)
      if (channel) channel.close()
      events.clear()
    },
  }
  registerInternals(client, {
    options,
    async signInWith(
      popup: AuthorizationTransport,
      { returnTo, appState, ...rest }: SignInOptions = {},
    ) {
      need()
      const { url, transaction } = await authorize(popup.redirectUri ?? redirectUri, {
        ...popup.params,
        ...rest.authorizationParams,
      })
      const { state } = transaction
      const response = await popup.run({ url, state, timeoutMs: silentTimeoutMs, signal })
      return complete(response, {
        ...transaction,
        returnTo: localPath(returnTo ?? location.href),
        appState,
      })
    },
  })
  return client
}
