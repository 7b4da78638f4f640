/**
 * @edge-identity/client-lib: OpenID Connect sign-in (authorization code + PKCE) and silent
 * renewal in a hidden iframe for single-page apps, on oauth4webapi.
 *
 * @example
 * import { createAuthClient } from '@edge-identity/client-lib'
 * const auth = createAuthClient({
 *   issuer: 'https://auth.example.com',
 *   clientId: 'my-spa',
 *   redirectUri: 'https://app.example.com/callback',
 *   silentRedirectUri: 'https://app.example.com/silent-callback.html',
 * })
 *
 * @packageDocumentation
 */
export { createAuthClient } from './client.js'
export { AuthClientError, type AuthClientErrorCode, isTransient } from './errors.js'
export type {
  AuthClient,
  AuthClientOptions,
  AuthEventMap,
  AuthorizationParams,
  AuthorizationTransport,
  RedirectCallbackResult,
  SignInOptions,
  TokenBinding,
  TokenSet,
  UserClaims,
} from './types.js'
