import type { AuthorizationServer } from 'oauth4webapi'
import { decodeJwt } from './code-exchange.js'
import { getJson, secureUrl } from './discovery.js'
import { AuthClientError } from './errors.js'

type JWK = JsonWebKey & { kid?: string }

/**
 * The issuer's keys as last fetched, kept by the client: a key is looked up here by `kid` first,
 * and the JWKS is fetched again only for a `kid` it does not hold (OIDC Core §10.1.1 rotation).
 *
 * @example
 * const cache: KeyCache = {}
 */
export interface KeyCache {
  keys?: JWK[]
}

/**
 * WebCrypto parameters for a JWS `alg` (RFC 7518 §3.3 RS*, §3.4 ES*, §3.5 PS*; RFC 8037 §3.1
 * EdDSA with Ed25519), usable for both importKey and verify, with the JWK `kty` it needs. Only
 * asymmetric algorithms: `none` and HMAC answer nothing, so they can never pass (RFC 8725 §3.1,
 * §2.1).
 *
 * @example
 * algorithm('PS256') // ['RSA', { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }]
 */
export function algorithm(alg: string): [kty: string, params: Algorithm] | [] {
  const bits = alg.slice(2)
  const hash = `SHA-${bits}`
  const family = /^(RS|PS|ES)(256|384|512)$/.test(alg) ? alg.slice(0, 2) : alg
  return family === 'RS'
    ? ['RSA', { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm]
    : family === 'PS'
      ? ['RSA', { name: 'RSA-PSS', hash, saltLength: +bits / 8 } as Algorithm]
      : family === 'ES'
        ? [
            'EC',
            { name: 'ECDSA', hash, namedCurve: `P-${bits === '512' ? 521 : bits}` } as Algorithm,
          ]
        : family === 'EdDSA'
          ? ['OKP', { name: 'Ed25519' }]
          : []
}

/**
 * Verifies an ID token's signature with the issuer's `jwks_uri` (OIDC Core §3.1.3.7 step 6,
 * §10.1). The key is chosen by `kid`, `kty`, `alg` and `use` (RFC 7517 §4), from the client's
 * {@link KeyCache} when it holds one, otherwise from a fresh JWKS (a rotated key is seen at once).
 *
 * The claims (iss, aud, azp, exp, iat, nonce, and an `alg` the server advertises) have already
 * been validated by validateIdTokenClaims.
 *
 * @example
 * await verifyIdTokenSignature(as, idToken, fetch, {}) // throws AuthClientError('invalid_response')
 */
export async function verifyIdTokenSignature(
  as: AuthorizationServer,
  jwt: string,
  http: typeof fetch,
  cache: KeyCache,
): Promise<void> {
  const [header, payload, signature = ''] = jwt.split('.')
  const { alg, kid } = decodeJwt(jwt)[0] as { alg: string; kid?: string }
  const [kty, params] = algorithm(alg)
  const find = () =>
    cache.keys?.find(
      (k) =>
        k.kty === kty &&
        (!kid || k.kid === kid) &&
        (!k.alg || k.alg === alg) &&
        (!k.use || k.use === 'sig'),
    )
  let jwk = find()
  if (!jwk && params) {
    cache.keys = (await getJson<{ keys: JWK[] }>(http, secureUrl(as.jwks_uri))).keys
    jwk = find()
  }
  if (!jwk || !params) throw new AuthClientError('invalid_response', `no ${alg} key ${kid}`)
  const key = await crypto.subtle.importKey('jwk', jwk, params, false, ['verify'])
  const bytes = Uint8Array.from(atob(signature.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
    c.charCodeAt(0),
  )
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
