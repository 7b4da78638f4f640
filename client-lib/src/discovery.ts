import type { AuthorizationServer } from 'oauth4webapi'
import { AuthClientError } from './errors.js'
import { isLoopback } from './site.js'

/**
 * An issuer or endpoint URL, refusing plain `http` except on loopback hosts (local development,
 * RFC 8252 §8.3; TLS is required everywhere else, RFC 6749 §3.1, §3.2).
 *
 * @example
 * const tokenUrl = secureUrl(as.token_endpoint)
 */
export function secureUrl(value: unknown): URL {
  const url = new URL(String(value))
  if (url.protocol !== 'https:' && !isLoopback(url)) {
    throw new AuthClientError('invalid_response', `not https: ${url}`)
  }
  return url
}

/**
 * GETs a JSON document, revalidated with the server (`cache: 'no-cache'`, Fetch §5.3: a cheap 304
 * when unchanged) so rotated keys and changed metadata are seen at once. An HTTP 5xx is the
 * server's transient trouble (`server_error`); any other failure status is `invalid_response`.
 *
 * @example
 * const { keys } = await getJson(fetch, secureUrl(as.jwks_uri))
 */
export async function getJson<T>(http: typeof fetch, url: URL): Promise<T> {
  const response = await http(url, { headers: { accept: 'application/json' }, cache: 'no-cache' })
  if (!response.ok) {
    const code = response.status > 499 ? 'server_error' : 'invalid_response'
    throw new AuthClientError(code, `HTTP ${response.status} ${url}`)
  }
  return response.json()
}

/**
 * Fetches the issuer's metadata (OIDC Discovery §4.1: `/.well-known/openid-configuration`
 * appended to the issuer) and checks that its `issuer` equals the configured one byte for byte
 * (§4.3; RFC 8414 §3.3), which prevents a mix-up with another server's metadata.
 *
 * Done here rather than with oauth4webapi's discoveryRequest and processDiscoveryResponse, which
 * cost 0.8 KB gzip for these two checks; see README "Size".
 *
 * @example
 * const as = await discover('https://auth.example.com', fetch)
 */
export async function discover(issuer: string, http: typeof fetch): Promise<AuthorizationServer> {
  const url = secureUrl(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)
  const as = await getJson<AuthorizationServer>(http, url)
  if (as.issuer !== issuer) throw new AuthClientError('invalid_response', 'wrong issuer')
  return as
}
