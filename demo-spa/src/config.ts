// The demo's configuration: the identity server and client from the build (npm start passes
// them, a production build reads VITE_ISSUER / VITE_CLIENT_ID from the environment), and the
// settings a visitor can change in the page.

/** sessionStorage key of the top-level fallback setting (per tab, survives the redirects). */
const FALLBACK_KEY = 'edge-identity-demo:top-level-fallback'
/** sessionStorage key of the web_message renewal setting (per tab, like the fallback). */
const WEB_MESSAGE_KEY = 'edge-identity-demo:web-message'
/** sessionStorage key of the DPoP setting (per tab, like the others). */
const DPOP_KEY = 'edge-identity-demo:dpop'

export interface DemoConfig {
  issuer: string
  clientId: string
  /** The library's `topLevelFallback` option (see client-lib README "Third-party cookies"). */
  topLevelFallback: boolean
  /**
   * Silent renewal (and popup sign-in) with `response_mode=web_message` (the library's
   * `@edge-identity/client-lib/web-message`) instead of the silent callback page.
   */
  webMessage: boolean
  /**
   * Tokens bound to a key of this browser (DPoP, RFC 9449; the library's
   * `@edge-identity/client-lib/dpop`): the key lives in IndexedDB and cannot be read by script.
   */
  dpop: boolean
}

/** Thrown when the build did not receive its configuration. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError'
}

/**
 * Reads the configuration once at start. `?fallback=1` (or `0`) in the address sets the
 * top-level fallback for this tab, `?webmessage=1` (or `0`) the web_message renewal, `?dpop=1`
 * (or `0`) DPoP; all are
 * kept in sessionStorage so they survive the sign-in and fallback redirects, and can be changed in
 * the page (which reloads it).
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
  const query = new URLSearchParams(location.search)
  for (const [param, key] of [
    ['fallback', FALLBACK_KEY],
    ['webmessage', WEB_MESSAGE_KEY],
    ['dpop', DPOP_KEY],
  ] as const) {
    const flag = query.get(param)
    if (flag === '1' || flag === '0') sessionStorage.setItem(key, flag)
  }
  return {
    issuer,
    clientId,
    topLevelFallback: sessionStorage.getItem(FALLBACK_KEY) === '1',
    webMessage: sessionStorage.getItem(WEB_MESSAGE_KEY) === '1',
    dpop: sessionStorage.getItem(DPOP_KEY) === '1',
  }
}

/** Changes a setting kept in sessionStorage; the auth client reads it at creation, so reload. */
function changeSetting(key: string, param: string, enabled: boolean): void {
  sessionStorage.setItem(key, enabled ? '1' : '0')
  const url = new URL(location.href)
  url.searchParams.delete(param)
  location.replace(url.href)
}

/** Changes the top-level fallback setting (reloads the page). */
export function setTopLevelFallback(enabled: boolean): void {
  changeSetting(FALLBACK_KEY, 'fallback', enabled)
}

/** Changes the web_message renewal setting (reloads the page). */
export function setWebMessage(enabled: boolean): void {
  changeSetting(WEB_MESSAGE_KEY, 'webmessage', enabled)
}

/** Changes the DPoP setting (reloads the page). */
export function setDpop(enabled: boolean): void {
  changeSetting(DPOP_KEY, 'dpop', enabled)
}
