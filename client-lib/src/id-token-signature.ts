import type { AuthorizationServer } from 'oauth4webapi'
import { getJson, secureUrl } from './discovery.js'
import { AuthClientError } from './errors.js'

type Params = RsaHashedImportParams | (EcKeyImportParams & EcdsaParams)
type JWK = JsonWebKey & { kid?: string }

/**
 * WebCrypto parameters per JWS `alg` (RFC 7518 §3.3, §3.4), usable for both importKey and
 * verify: RS256 is the OpenID Connect default, ES256 the common alternative. Only asymmetric
 * algorithms, so `none` and HMAC can never pass (RFC 8725 §3.1, §2.1).
 */
const ALGORITHMS = new Map<string, [kty: string, params: Params]>([
  ['RS256', ['RSA', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }]],
  ['ES256', ['EC', { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }]],
])

const base64url = (value = '') => atob(value.replace(/-/g, '+').replace(/_/g, '/'))

/**
 * Verifies an ID token's signature with the issuer's `jwks_uri` (OIDC Core §3.1.3.7 step 6,
 * §10.1). The key is chosen by `kid`, `kty`, `alg` and `use` (RFC 7517 §4). The JWKS is
 * revalidated with the server each time (see getJson), so keys rotated by the server (OIDC Core
 * §10.1.1) are seen at once and no stale copy is kept here.
 *
 * The claims (iss, aud, azp, exp, iat, and an `alg` the server advertises) have already been
 * validated by oauth4webapi, and the nonce by exchangeCode. oauth4webapi's own signature check
 * (validateApplicationLevelSignature) supports every JWS algorithm and costs 1.35 KB gzip, which
 * the 8 KB budget cannot hold; see README "Size".
 *
 * @example
 * await verifyIdTokenSignature(as, idToken, fetch) // throws AuthClientError('invalid_response')
 */
export async function verifyIdTokenSignature(
  as: AuthorizationServer,
  jwt: string,
  http: typeof fetch,
): Promise<void> {
  const [header, payload, signature] = jwt.split('.')
  const { alg, kid } = JSON.parse(base64url(header))
  const [kty, params] = ALGORITHMS.get(alg) ?? []
  const { keys } = await getJson<{ keys: JWK[] }>(http, secureUrl(as.jwks_uri))
  const jwk = keys.find(
    (k) =>
      k.kty === kty &&
      (!kid || k.kid === kid) &&
      (!k.alg || k.alg === alg) &&
      (!k.use || k.use === 'sig'),
  )
  if (!jwk || !params) throw new AuthClientError('invalid_response', `no ${alg} key ${kid}`)
  const key = await crypto.subtle.importKey('jwk', jwk, params, false, ['verify'])
  const bytes = Uint8Array.from(base64url(signature), (c) => c.charCodeAt(0))
  if (
    !(await crypto.subtle.verify(
      params,
      key,
      bytes,
      new TextEncoder().encode(`${header}.${payload}`),
    ))
  ) {
    throw new AuthClientError('invalid_response', 'bad ID token signature')
  }
}
