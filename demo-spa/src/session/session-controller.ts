import { type AuthClient, AuthClientError } from '@edge-identity/client-lib'
import { signInWithPopup } from '@edge-identity/client-lib/popup'
import { readAccessTokenClaims } from '../access-token'
import type { DemoConfig } from '../config'
import type { RenewalLog } from './renewal-log'
import type { SessionStore } from './session-store'

/**
 * sessionStorage mark set when the library is about to renew by a top-level `prompt=none`
 * redirect (the fallback), so the page can tell that round trip from a sign-in when it returns.
 */
const FALLBACK_MARK = 'edge-identity-demo:fallback-started'
/** A mark older than this is stale (the library decided not to redirect after all). */
const FALLBACK_MARK_TTL_MS = 60_000

/** The error as the library's typed error (the library only ever rejects with those). */
export function toAuthError(error: unknown): AuthClientError {
  return error instanceof AuthClientError
    ? error
    : new AuthClientError('invalid_response', String(error), error)
}

/**
 * The demo's app state, carried through a sign-in by the library (`signIn({ appState })`) and
 * answered back by the callback: where the sign-in started and when, shown in the log after it.
 */
export interface DemoAppState {
  startedOn: string
  startedAt: number
}

const appStateNow = (): DemoAppState => ({
  startedOn: location.pathname + location.search,
  startedAt: Date.now(),
})

/** The app state as the log shows it. */
export function describeAppState(appState: unknown): string | undefined {
  const state = appState as Partial<DemoAppState> | undefined
  if (typeof state?.startedOn !== 'string' || typeof state.startedAt !== 'number') return undefined
  const time = new Date(state.startedAt).toLocaleTimeString('en-GB')
  return `App state carried through the sign-in: started on ${state.startedOn} at ${time}`
}

/** A short label for a tab id. */
export const shortTab = (tabId: string) => tabId.slice(0, 8)

/**
 * Connects the auth client to the page: its events update the session store and the renewal
 * log; the page's actions (sign in, sign out, renew now) go through here.
 */
export function createSessionController(
  auth: AuthClient,
  store: SessionStore,
  log: RenewalLog,
  config: DemoConfig,
) {
  let restoring = false

  const byText = (by: string, network: boolean) =>
    network ? `this tab (${shortTab(by)}) did the network work` : `adopted from tab ${shortTab(by)}`

  async function refreshToken(): Promise<void> {
    const token = await auth.getAccessToken().catch(() => undefined)
    if (token === undefined) return
    store.update({
      access: readAccessTokenClaims(token),
      tokenType: auth.getTokens()?.tokenType,
      expiresAt: auth.expiresAt,
    })
  }

  /** The email from userinfo (OIDC Core §5.3), through the library's authorized fetch. */
  async function refreshProfile(): Promise<void> {
    try {
      const response = await auth.fetch(`${config.issuer}/userinfo`)
      if (!response.ok) throw new Error(`the userinfo endpoint answered ${response.status}`)
      const info = (await response.json()) as { email?: unknown; name?: unknown }
      store.update({
        email: typeof info.email === 'string' ? info.email : undefined,
        name: typeof info.name === 'string' && info.name ? info.name : undefined,
        emailError: undefined,
      })
    } catch (error) {
      store.update({ emailError: error instanceof Error ? error.message : String(error) })
    }
  }

  function takeFallbackMark(): number | undefined {
    const started = Number(sessionStorage.getItem(FALLBACK_MARK))
    sessionStorage.removeItem(FALLBACK_MARK)
    return started > Date.now() - FALLBACK_MARK_TTL_MS ? started : undefined
  }

  auth.on('signedIn', ({ user }) => {
    const fallbackStarted = takeFallbackMark()
    store.update({
      status: 'signed-in',
      user,
      expiresAt: auth.expiresAt,
      problem: undefined,
      notice: undefined,
    })
    if (fallbackStarted !== undefined) {
      log.add({
        kind: 'renewed',
        text: 'Renewed by a top-level prompt=none redirect (fallback); this tab did the network work',
        durationMs: Date.now() - fallbackStarted,
        network: true,
        by: auth.tabId,
      })
    } else {
      log.add({
        kind: 'signed-in',
        text: restoring ? 'Session restored silently' : 'Signed in (in this tab or another)',
      })
    }
    void refreshToken().then(refreshProfile)
  })

  auth.on('renewed', ({ durationMs, network, by, expiresAt }) => {
    store.update({ expiresAt, problem: undefined })
    log.add({
      kind: 'renewed',
      text: `Renewed in ${durationMs} ms; ${byText(by, network)}`,
      durationMs,
      network,
      by,
    })
    void refreshToken()
  })

  auth.on('renewalFailed', ({ error }) => {
    if (restoring && error.code === 'interaction_required') {
      log.add({ kind: 'info', code: error.code, text: 'No session at the identity server yet' })
    } else {
      log.add({ kind: 'failed', code: error.code, text: `Renewal failed: ${error.message}` })
    }
    if (error.code === 'third_party_cookies_unavailable') {
      store.update({
        notice:
          'The identity server is on another site and this browser withholds its cookies from ' +
          'the hidden iframe, so silent renewal cannot work here. Turn on the top-level fallback ' +
          'below, or host the identity server on the same site as the app.',
      })
    }
    if (!restoring) store.update({ problem: { code: error.code, message: error.message } })
  })

  // The library asks before a top-level fallback: it goes ahead for a renewal the page started
  // (page load, Renew now), never for one started by its timer.
  auth.on('beforeTopLevelFallback', ({ automatic }) => {
    if (automatic) {
      log.add({
        kind: 'info',
        text: 'A top-level prompt=none redirect would renew: press Renew now',
      })
      return
    }
    sessionStorage.setItem(FALLBACK_MARK, String(Date.now()))
    log.add({ kind: 'fallback', text: 'Falling back to a top-level prompt=none redirect' })
  })

  auth.on('signedOut', () => {
    store.reset({ status: 'signed-out' })
    log.add({ kind: 'signed-out', text: 'Signed out (in this tab or another)' })
  })

  return {
    /** After a page load: a silent sign-in, the first time a token is needed (tokens are in memory). */
    async restore(): Promise<void> {
      restoring = true
      try {
        await auth.getAccessToken()
      } catch {
        // Reported by the renewalFailed event.
      } finally {
        restoring = false
      }
      if (store.get().status === 'restoring') store.update({ status: 'signed-out' })
    },

    /** On /callback: completes the sign-in, then goes back where the user was. */
    async completeCallback(): Promise<void> {
      try {
        const { returnTo, appState } = await auth.handleRedirectCallback()
        history.replaceState(null, '', returnTo)
        const carried = describeAppState(appState)
        if (carried) log.add({ kind: 'info', text: carried })
      } catch (error) {
        const { code, message } = toAuthError(error)
        const fallback = takeFallbackMark() !== undefined
        log.add({
          kind: 'failed',
          code,
          text: `${fallback ? 'Top-level fallback failed' : 'Sign-in failed'}: ${message}`,
        })
        store.update({ status: 'signed-out', problem: { code, message } })
        history.replaceState(null, '', '/')
      }
    },

    signIn(): void {
      sessionStorage.removeItem(FALLBACK_MARK)
      auth.signIn({ appState: appStateNow() }).catch((error: unknown) => {
        const { code, message } = toAuthError(error)
        store.update({ problem: { code, message } })
      })
    },

    /** Signs in in a popup window: this page stays where it is (call it in the click handler). */
    signInWithPopup(): Promise<void> {
      sessionStorage.removeItem(FALLBACK_MARK)
      const responseMode = config.webMessage ? 'web_message' : 'callback-page'
      return signInWithPopup(auth, { appState: appStateNow(), responseMode }).then(
        ({ appState }) => {
          const carried = describeAppState(appState)
          if (carried) log.add({ kind: 'info', text: carried })
        },
        (error: unknown) => {
          const { code, message } = toAuthError(error)
          log.add({ kind: 'failed', code, text: `Popup sign-in failed: ${message}` })
          store.update({ problem: { code, message } })
        },
      )
    },

    signOut(): void {
      auth.signOut().catch((error: unknown) => {
        const { code, message } = toAuthError(error)
        store.update({ problem: { code, message } })
      })
    },

    /** Renews now; the outcome arrives as a renewed or renewalFailed event. */
    renewNow(): Promise<void> {
      return auth.renew().catch(() => undefined)
    },
  }
}

export type SessionController = ReturnType<typeof createSessionController>
