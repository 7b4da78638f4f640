import type { UserClaims } from '@edge-identity/client-lib'
import { ACCOUNT_ADMINISTRATOR, type AccessTokenClaims } from '../access-token'

/** What the page knows about the session; views render from it. */
export interface SessionState {
  /** `restoring` until the first silent sign-in attempt has answered. */
  status: 'restoring' | 'signed-out' | 'signed-in'
  user?: UserClaims
  /** From the userinfo endpoint (OIDC Core §5.3), read with `auth.fetch`. */
  email?: string
  /** From the userinfo endpoint, like the email. */
  name?: string
  /** Why the email could not be read, when it could not. */
  emailError?: string
  access?: AccessTokenClaims
  /** The token endpoint's `token_type`: `Bearer`, or `DPoP` for a token bound to a key. */
  tokenType?: string
  /** Access token expiry, epoch ms. */
  expiresAt?: number
  /** The last renewal failure since the last success, shown as an alert. */
  problem?: { code: string; message: string }
  /** Why the page shows no session although the user may have one (cross-site issuer). */
  notice?: string
}

export type SessionListener = (state: SessionState, previous: SessionState) => void

/** A minimal observable store for the session state. */
export function createSessionStore() {
  let state: SessionState = { status: 'restoring' }
  const listeners = new Set<SessionListener>()
  return {
    get: () => state,
    /** Merges `patch` into the state and tells every listener. */
    update(patch: Partial<SessionState>): void {
      const previous = state
      state = { ...state, ...patch }
      for (const listener of listeners) listener(state, previous)
    },
    /** Replaces the state (sign-out), keeping nothing of the previous user. */
    reset(next: SessionState): void {
      const previous = state
      state = next
      for (const listener of listeners) listener(state, previous)
    },
    /** Subscribes until `signal` aborts (a view being replaced). */
    subscribe(listener: SessionListener, signal?: AbortSignal): () => void {
      listeners.add(listener)
      const off = () => listeners.delete(listener)
      signal?.addEventListener('abort', off, { once: true })
      return off
    },
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>

/** Whether the signed-in user may use the clients portal. */
export function isAdministrator(state: SessionState): boolean {
  return state.status === 'signed-in' && (state.access?.roles ?? []).includes(ACCOUNT_ADMINISTRATOR)
}
