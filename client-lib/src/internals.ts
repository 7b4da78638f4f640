import type {
  AuthClient,
  AuthClientOptions,
  AuthorizationTransport,
  RedirectCallbackResult,
  SignInOptions,
} from './types.js'

/**
 * What the optional subpath modules (`/popup`, `/web-message`, `/react`) may reach of a client
 * beyond its public API. Kept out of the `AuthClient` interface so the core's surface stays the
 * documented one; `createAuthClient` registers every client here.
 *
 * @example
 * const { signInWith } = clientInternals(auth)
 */
export interface ClientInternals {
  options: AuthClientOptions
  /**
   * An interactive sign-in through `transport` (a popup) instead of a redirect: the response is
   * validated and redeemed like a callback's, the tokens stored and broadcast as a sign-in.
   */
  signInWith(
    transport: AuthorizationTransport,
    options?: SignInOptions,
  ): Promise<RedirectCallbackResult>
}

const registry = new WeakMap<AuthClient, ClientInternals>()

/**
 * Registers a client's internals (by `createAuthClient`).
 *
 * @example
 * registerInternals(client, { options, signInWith })
 */
export function registerInternals(client: AuthClient, value: ClientInternals): void {
  registry.set(client, value)
}

/**
 * A client's internals; throws for an object `createAuthClient` did not make.
 *
 * @example
 * const { options } = clientInternals(auth)
 */
export function clientInternals(client: AuthClient): ClientInternals {
  const value = registry.get(client)
  if (!value) throw new TypeError('not a client made by createAuthClient')
  return value
}
