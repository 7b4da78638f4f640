import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose'
import { TokenError } from './token-error'

/** How long a failed discovery is remembered before the next request tries again. */
const DISCOVERY_RETRY_SECONDS = 10

/**
 * The metadata URLs of an issuer, in the order they are tried: RFC 8414 §3.1 (the well-known
 * path inserted before the issuer's path) and OpenID Connect Discovery §4 (appended).
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-3.1 RFC 8414 §3.1}
 * @see {@link https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig OIDC Discovery §4}
 */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer)
  const path = url.pathname === '/' ? '' : url.pathname
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
  ]
}

/** Reads the issuer's `jwks_uri` from its metadata, whose `issuer` must be exactly ours. */
async function discoverJwksUri(issuer: string, fetcher: typeof fetch): Promise<URL> {
  for (const url of discoveryUrls(issuer)) {
    const response = await fetcher(url, { headers: { Accept: 'application/json' } })
    if (!response.ok) continue
    const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown }
    // RFC 8414 §3.3: metadata naming another issuer is not this issuer's.
    if (metadata.issuer !== issuer) throw new Error('the metadata names another issuer')
    if (typeof metadata.jwks_uri !== 'string') throw new Error('the metadata has no jwks_uri')
    return new URL(metadata.jwks_uri)
  }
  throw new Error('no authorization server metadata found')
}

/** Options of {@link issuerKeys}. */
export interface IssuerKeysOptions {
  issuer: string
  fetch: typeof fetch
  /** Seconds the JWKS is kept (jose `cacheMaxAge`). */
  cacheMaxAgeSeconds: number
  /** Seconds between two fetches for an unknown `kid` (jose `cooldownDuration`). */
  cooldownSeconds: number
  now: () => number
}

/**
 * The issuer's signing keys for jose's `jwtVerify`: its `jwks_uri` found once through discovery,
 * then jose's remote JWKS (cached, refetched for an unknown `kid` at most once per cooldown). A
 * discovery that fails is retried after {@link DISCOVERY_RETRY_SECONDS}, and the request meanwhile
 * answers `temporarily_unavailable`: a resource cannot judge tokens without the keys.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-2 RFC 8414 §2 (jwks_uri)}
 */
export function issuerKeys(options: IssuerKeysOptions): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined
  let failedAt = Number.NEGATIVE_INFINITY
  const load = async () => {
    const jwksUri = await discoverJwksUri(options.issuer, options.fetch)
    return createRemoteJWKSet(jwksUri, {
      cacheMaxAge: options.cacheMaxAgeSeconds * 1000,
      cooldownDuration: options.cooldownSeconds * 1000,
      [customFetch]: options.fetch,
    })
  }
  return async (header, token) => {
    if (keys === undefined) {
      if (options.now() - failedAt < DISCOVERY_RETRY_SECONDS) throw unavailable()
      keys = load()
    }
    let getKey: JWTVerifyGetKey
    try {
      getKey = await keys
    } catch (cause) {
      keys = undefined
      failedAt = options.now()
      throw unavailable(cause)
    }
    return getKey(header, token)
  }
}

const unavailable = (cause?: unknown) =>
  new TokenError('temporarily_unavailable', 'The authorization server keys are unavailable', {
    cause,
  })
