/**
 * @edge-identity/client-lib/react: the client in React, on `useSyncExternalStore`.
 *
 * @example
 * import { AuthProvider, useAuth } from '@edge-identity/client-lib/react'
 * createRoot(root).render(<AuthProvider client={auth}><App /></AuthProvider>)
 * function Profile() {
 *   const { user, signIn } = useAuth()
 *   return user ? <p>{user.email}</p> : <button onClick={() => signIn()}>Sign in</button>
 * }
 *
 * @packageDocumentation
 */
import {
  createContext,
  createElement,
  type ReactNode,
  useContext,
  useMemo,
  useSyncExternalStore,
} from 'react'
import type { AuthClientError } from './errors.js'
import type { AuthClient, UserClaims } from './types.js'

/**
 * What {@link useAuth} answers: the session as last seen by the client's events, and the client
 * with its most used methods.
 *
 * @example
 * const { isAuthenticated, user, error, getAccessToken } = useAuth()
 */
export interface AuthState {
  /** Claims of the signed-in user, or undefined. */
  user: UserClaims | undefined
  /** A user is signed in and the access token has not expired without a renewal. */
  isAuthenticated: boolean
  /** When the access token expires (epoch ms), or undefined. */
  expiresAt: number | undefined
  /** The last renewal failure, cleared by the next sign-in or renewal. */
  error: AuthClientError | undefined
}

/** The state plus the client and its methods. */
export interface UseAuth extends AuthState {
  client: AuthClient
  signIn: AuthClient['signIn']
  signOut: AuthClient['signOut']
  getAccessToken: AuthClient['getAccessToken']
}

const AuthContext = createContext<AuthClient | undefined>(undefined)

interface Store {
  get(): AuthState
  subscribe(onChange: () => void): () => void
}

const stores = new WeakMap<AuthClient, Store>()

// One store per client: an immutable snapshot replaced on each of its events, so React re-renders
// only when the session changed (useSyncExternalStore compares snapshots by identity).
function storeOf(client: AuthClient): Store {
  let store = stores.get(client)
  if (store) return store
  const listeners = new Set<() => void>()
  const snapshot = (error?: AuthClientError, expired = false): AuthState => ({
    user: client.user,
    isAuthenticated: !!client.user && !expired,
    expiresAt: client.expiresAt,
    error,
  })
  let state = snapshot()
  const set = (next: AuthState) => {
    state = next
    for (const listener of listeners) listener()
  }
  let detach = () => {}
  store = {
    get: () => state,
    subscribe(onChange) {
      if (!listeners.size) {
        const offs = [
          client.on('signedIn', () => set(snapshot())),
          client.on('renewed', () => set(snapshot())),
          client.on('signedOut', () => set(snapshot())),
          client.on('renewalFailed', ({ error }) => set(snapshot(error))),
          client.on('expired', () => set(snapshot(state.error, true))),
        ]
        detach = () => {
          for (const off of offs) off()
        }
        state = snapshot() // anything that happened before the first subscriber
      }
      listeners.add(onChange)
      return () => {
        listeners.delete(onChange)
        if (!listeners.size) detach()
      }
    },
  }
  stores.set(client, store)
  return store
}

/**
 * Makes `client` available to {@link useAuth} below it. Create the client once, at module level
 * (not in a component), and pass it here.
 *
 * @example
 * <AuthProvider client={auth}><App /></AuthProvider>
 */
export function AuthProvider(props: { client: AuthClient; children?: ReactNode }) {
  return createElement(AuthContext.Provider, { value: props.client }, props.children)
}

/**
 * The session of the nearest {@link AuthProvider}'s client; re-renders on sign-in, renewal,
 * renewal failure, expiry and sign-out (in this tab or another).
 *
 * @example
 * const { user, signOut } = useAuth()
 */
export function useAuth(): UseAuth {
  const client = useContext(AuthContext)
  if (!client) throw new Error('useAuth() must be used below <AuthProvider client={...}>')
  const store = storeOf(client)
  const state = useSyncExternalStore(store.subscribe, store.get, store.get)
  return useMemo(
    () => ({
      ...state,
      client,
      signIn: client.signIn,
      signOut: client.signOut,
      getAccessToken: client.getAccessToken,
    }),
    [state, client],
  )
}
