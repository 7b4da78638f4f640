// The demo's configuration: the identity server and client from the build (npm start passes
// them, a production build reads VITE_ISSUER / VITE_CLIENT_ID from the environment), and the
// one setting a visitor can change in the page.

/** sessionStorage key of the top-level fallback setting (per tab, survives the redirects). */
const FALLBACK_KEY = 'edge-identity-demo:top-level-fallback'

export interface DemoConfig {
  issuer: string
  clientId: string
  /** The library's `topLevelFallback` option (see client-lib README "Third-party cookies"). */
  topLevelFallback: boolean
}

/** Thrown when the build did not receive its configuration. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError'
}

/**
 * Reads the configuration once at start. `?fallback=1` (or `0`) in the address sets the
 * top-level fallback for this tab; it is kept in sessionStorage so it survives the sign-in and
 * fallback redirects, and can be changed in the page (which reloads it).
 */
export function readConfig(): DemoConfig {
  const issuer = import.meta.env.VITE_ISSUER
  const clientId = import.meta.env.VITE_CLIENT_ID
  if (!issuer || !clientId) {
    throw new ConfigurationError(
      'VITE_ISSUER and VITE_CLIENT_ID are not set: run `npm start`, or build with ' +
        'VITE_ISSUER=https://auth.example.com VITE_CLIENT_ID=... npm run build -w demo-spa',
    )
  }
  const flag = new URLSearchParams(location.search).get('fallback')
  if (flag === '1' || flag === '0') sessionStorage.setItem(FALLBACK_KEY, flag)
  return { issuer, clientId, topLevelFallback: sessionStorage.getItem(FALLBACK_KEY) === '1' }
}

/** Changes the top-level fallback setting; the auth client reads it at creation, so reload. */
export function setTopLevelFallback(enabled: boolean): void {
  sessionStorage.setItem(FALLBACK_KEY, enabled ? '1' : '0')
  const url = new URL(location.href)
  url.searchParams.delete('fallback')
  location.replace(url.href)
}
