import { type AuthorizationServer, generateRandomState } from 'oauth4webapi'
import {
  type AuthorizationTransaction,
  createAuthorizationRequest,
  withParams,
} from './authorization-request.js'
import { exchangeCode } from './code-exchange.js'
import { discover, secureUrl } from './discovery.js'
import { AuthClientError, isTransient, toAuthClientError } from './errors.js'
import { createEmitter } from './events.js'
import { createRenewalSchedule } from './renewal-schedule.js'
import { runSilentFrame } from './silent-renew.js'
import { siteOf } from './site.js'
import { readJson, takeJson, writeJson } from './storage.js'
import { sleep, type TabMessage, withTabLock } from './tab-coordination.js'
import type {
  AuthClient,
  AuthClientOptions,
  AuthEventMap,
  RedirectCallbackResult,
  TokenSet,
} from './types.js'

/** Retries of a silent renewal after a transient failure, with backoff (1 s, then 4 s). */
const RENEW_RETRIES = 2
const RETRY_BASE_MS = 1000
/** After the retries, the next attempt while the tab stays open. */
const RETRY_LATER_MS = 30_000
/** getAccessToken() renews first when less validity than this remains. */
const MIN_VALIDITY_MS = 5000

/** A path of this origin (`/` otherwise), so `returnTo` never becomes an open redirect. */
function localPath(target: string): string {
  const url = new URL(target, location.href)
  return url.origin === location.origin ? url.href.slice(url.origin.length) : '/'
}

/**
 * Creates the client for one issuer and one public `client_id`: PKCE sign-in by redirect,
 * silent renewal in a hidden iframe coordinated across tabs, sign-out, and an authorized fetch.
 * Creating it twice (framework strict modes) is harmless: instances coordinate like tabs do,
 * through the same Web Lock and BroadcastChannel, and `dispose()` detaches one.
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
    postLogoutRedirectUri,
    scope = 'openid profile email',
    renewLeadSeconds = 60,
    silentTimeoutMs = 10_000,
    storage = 'memory',
    topLevelFallback = false,
  } = options
  const key = `edge-identity:${clientId}@${issuer}`
  const transactionKey = `${key}:tx`
  const noFallbackKey = `${key}:no-fallback`
  const silentOrigin = new URL(silentRedirectUri).origin
  const crossSite = siteOf(issuer) !== siteOf(silentOrigin)
  const tabId = generateRandomState()
  // Network failures become `network` errors where they happen (so a TypeError from a bug is not
  // retried); the wrapper also avoids "Illegal invocation" from a detached global fetch.
  const http: typeof fetch = (input, init) =>
    (options.fetch ?? fetch)(input, init).catch((err) => {
      throw new AuthClientError('network', String(err), err)
    })
  const events = createEmitter<AuthEventMap>()
  // Tokens live in memory unless `storage: 'session'` (see setTokens).
  const persist = storage === 'session'
  let tokens: TokenSet | undefined = persist ? readJson(key) : undefined
  // Without BroadcastChannel each tab works alone.
  const channel = globalThis.BroadcastChannel && new BroadcastChannel(key)
  channel?.addEventListener('message', (event) => receive(event.data))
  const schedule = createRenewalSchedule(
    () => tokens,
    renewLeadSeconds * 1000,
    () => {
      renewTokens(false).catch(() => {}) // reported by the renewalFailed event
    },
  )
  let metadata: Promise<AuthorizationServer> | undefined
  let inflight: Promise<TokenSet> | undefined
  let callback: [url: string, result: Promise<RedirectCallbackResult>] | undefined
  let failure: Extract<TabMessage, { type: 'failed' }> | undefined
  let signedOutAt = 0
  let signOuts = 0
  let disposed = false

  // sessionStorage is per tab and per origin: nothing is shared with other tabs through it.
  function setTokens(next: TokenSet | undefined): void {
    tokens = next
    if (persist) writeJson(key, next)
  }

  const discoverOnce = () =>
    (metadata ??= discover(issuer, http).catch((err) => {
      metadata = undefined
      throw err
    }))

  const authorize = async (redirect: string, extra: Record<string, string | undefined>) =>
    createAuthorizationRequest(await discoverOnce(), clientId, redirect, { scope, ...extra })

  const exchange = async (
    response: URLSearchParams,
    transaction: AuthorizationTransaction,
    sub: string | undefined,
  ) => exchangeCode({ as: await discoverOnce(), clientId, http }, response, transaction, sub)

  // Every change of session state goes through here, whether it happened in this tab (`local`:
  // then it is broadcast to the others) or arrived from another tab or instance.
  function receive(message: TabMessage, local?: boolean): void {
    if (disposed) return
    if (local) channel?.postMessage(message)
    if (message.type === 'failed') {
      failure = message
    } else if (message.type === 'signedOut') {
      signedOutAt = Date.now()
      signOuts++
      setTokens(undefined) // the schedule finds no tokens and stops
      events.emit('signedOut', {})
    } else {
      const { tokens: next, interactive, durationMs, by } = message
      const previous = tokens
      // Never resurrect a session signed out meanwhile, and never let another tab's renewal
      // switch this tab to another user (see exchangeCode).
      const otherUser = !interactive && previous && previous.claims.sub !== next.claims.sub
      if (!local && (next.renewedAt < signedOutAt || otherUser)) return
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
        const { url, transaction } = await authorize(silentRedirectUri, {
          prompt: 'none',
          // OIDC Core §3.1.2.1: id_token_hint SHOULD be sent with prompt=none.
          id_token_hint: current?.idToken,
        })
        const response = await runSilentFrame(url, silentOrigin, transaction.state, silentTimeoutMs)
        return await exchange(response, transaction, current?.claims.sub)
      } catch (err) {
        const error = toAuthClientError(err)
        // Where third-party cookies are blocked (Chromium by default, Safari, Firefox) a cross-site
        // iframe carries no session cookie, so the server answers login_required.
        if (error.error === 'login_required' && crossSite) {
          throw new AuthClientError(
            'third_party_cookies_unavailable',
            'host the issuer same-site, or use topLevelFallback',
            err,
            error.error,
          )
        }
        if (attempt >= RENEW_RETRIES || !isTransient(error)) throw error
        await sleep(RETRY_BASE_MS * 4 ** attempt)
      }
    }
  }

  // One renewal at a time in a tab (the shared promise) and across tabs (the Web Lock). A tab that
  // waited for the lock adopts the result the holder broadcast instead of renewing again.
  function renewTokens(force: boolean): Promise<TokenSet> {
    inflight ??= renewAcrossTabs(force).finally(() => {
      inflight = undefined
    })
    return inflight
  }

  async function renewAcrossTabs(force: boolean): Promise<TokenSet> {
    // What this tab knew when it asked: anything newer that arrives while it waits for the lock
    // is another tab's (or instance's) result, adopted instead of renewing again.
    const seenTokens = tokens
    const seenFailure = failure
    try {
      return await withTabLock(`${key}:renew`, async () => {
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
          const { code, message, error } = err as AuthClientError
          receive({ type: 'failed', code, message, error }, true)
          throw err
        }
      })
    } catch (err) {
      const error = toAuthClientError(err)
      if (isTransient(error)) schedule.schedule(RETRY_LATER_MS)
      else schedule.pause()
      events.emit('renewalFailed', { error })
      if (
        error.code === 'third_party_cookies_unavailable' &&
        topLevelFallback &&
        !document.hidden &&
        !readJson(noFallbackKey)
      ) {
        await redirect({ prompt: 'none' }, true)
        return new Promise(() => {}) // the page is leaving
      }
      throw error
    }
  }

  async function redirect(
    extra: Record<string, string | undefined>,
    fallback?: boolean,
    returnTo = location.href,
  ): Promise<void> {
    const { url, transaction } = await authorize(redirectUri, extra)
    // A top-level prompt=none stands in for a renewal: it must come back with the same user.
    const sub = fallback ? tokens?.claims.sub : undefined
    writeJson(transactionKey, { ...transaction, returnTo: localPath(returnTo), fallback, sub })
    location.assign(url)
  }

  async function completeRedirect(url: string): Promise<RedirectCallbackResult> {
    const { pathname, searchParams } = new URL(url)
    const transaction = takeJson<AuthorizationTransaction>(transactionKey)
    // Keep the code and state out of the address bar and history (RFC 9700 §4.2.4).
    history.replaceState(history.state, '', pathname)
    try {
      if (!transaction) throw new AuthClientError('invalid_response', 'no sign-in in progress')
      const tokens = await exchange(searchParams, transaction, transaction.sub)
      sessionStorage.removeItem(noFallbackKey)
      receive({ type: 'tokens', tokens, interactive: true, durationMs: 0, by: tabId }, true)
      return { returnTo: transaction.returnTo as string, user: tokens.claims }
    } catch (err) {
      // A failed top-level fallback must not start again on the next load (a redirect loop).
      if (transaction?.fallback) writeJson(noFallbackKey, 1)
      throw toAuthClientError(err)
    }
  }

  async function getAccessToken(): Promise<string> {
    if (tokens && tokens.expiresAt - Date.now() > MIN_VALIDITY_MS) return tokens.accessToken
    return (await renewTokens(false)).accessToken
  }

  return {
    tabId,
    get user() {
      return tokens?.claims
    },
    get expiresAt() {
      return tokens?.expiresAt
    },
    signIn: ({ returnTo, loginHint, prompt } = {}) =>
      redirect({ login_hint: loginHint, prompt }, false, returnTo),
    handleRedirectCallback(url = location.href) {
      // Strict-mode effects call this twice; the code can be redeemed only once.
      if (callback?.[0] !== url) callback = [url, completeRedirect(url)]
      return callback[1]
    },
    getAccessToken,
    async renew() {
      await renewTokens(true)
    },
    async fetch(input, init = {}) {
      // A Request's own headers are kept unless init replaces them (Fetch §5.4).
      const headers = new Headers(init.headers ?? (input as Request).headers)
      headers.set('authorization', `Bearer ${await getAccessToken()}`)
      return (options.fetch ?? fetch)(input, { ...init, headers })
    },
    async signOut() {
      const idToken = tokens?.idToken
      receive({ type: 'signedOut' }, true)
      const as = await discoverOnce()
      if (!as.end_session_endpoint) return
      // OpenID Connect RP-Initiated Logout 1.0 §2.
      const url = withParams(secureUrl(as.end_session_endpoint), {
        client_id: clientId,
        id_token_hint: idToken,
        post_logout_redirect_uri: postLogoutRedirectUri,
        state: generateRandomState(),
      })
      location.assign(url)
    },
    on: events.on,
    dispose() {
      disposed = true
      schedule.dispose()
      channel?.close()
      events.clear()
    },
  }
}
