import type { JWTVerifyGetKey } from 'jose'
import type { ReplayStore } from './replay-store'

/** Options of {@link protectedResource}. Only `issuer` and `resource` are required. */
export interface ProtectedResourceOptions {
  /** The authorization server's issuer identifier, exactly as its tokens' `iss` (no trailing `/` added). */
  issuer: string
  /**
   * This resource's identifier (RFC 8707): the URL clients send as `resource`, the tokens'
   * `aud`, and where the metadata URL comes from (RFC 9728 §3.1), e.g. `https://api.example/mcp`.
   */
  resource: string
  /** `scopes_supported` of the metadata. */
  scopesSupported?: readonly string[]
  /** `resource_name` of the metadata. */
  resourceName?: string
  /** `resource_documentation` of the metadata. */
  resourceDocumentation?: string
  /** The `realm` of challenges; none by default. */
  realm?: string
  /**
   * The JWS algorithms accepted for access tokens. Asymmetric only: `none` and HMAC (`HS*`) are
   * refused at construction, since a resource never holds the issuer's secret. Default
   * `['ES256', 'RS256', 'PS256', 'EdDSA']`.
   */
  algorithms?: readonly string[]
  /**
   * DPoP (RFC 9449): `'allowed'` (default: bound tokens need a proof, unbound ones are Bearer),
   * `'required'` (unbound tokens are refused), or `'off'` (bound tokens are refused).
   */
  dpop?: 'allowed' | 'required' | 'off'
  /** The JWS algorithms accepted in DPoP proofs. Default `['ES256', 'EdDSA', 'RS256', 'PS256']`. */
  dpopAlgorithms?: readonly string[]
  /** Where accepted DPoP proofs are remembered. Default: {@link memoryReplayStore} (per isolate). */
  replayStore?: ReplayStore
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockToleranceSeconds?: number
  /**
   * The issuer's keys. Default: its `jwks_uri` from discovery, through jose's
   * `createRemoteJWKSet`. Pass `createLocalJWKSet(jwks)` to pin keys.
   */
  jwks?: JWTVerifyGetKey
  /** Seconds the JWKS is cached (default 600) and between refetches for an unknown `kid` (30). */
  jwksCacheMaxAgeSeconds?: number
  jwksCooldownSeconds?: number
  /** The fetch used for discovery and the JWKS. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** The clock, seconds since the epoch (tests freeze it). Default: `Date.now() / 1000`. */
  now?: () => number
}

export const DEFAULT_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const
export const DEFAULT_DPOP_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'PS256'] as const

/**
 * Refuses configurations that would accept forged tokens: `none` or a symmetric algorithm, or a
 * resource that is not an absolute URL without fragment (RFC 8707 §2).
 */
export function checkOptions(options: ProtectedResourceOptions): void {
  for (const alg of [...(options.algorithms ?? []), ...(options.dpopAlgorithms ?? [])]) {
    if (alg === 'none' || /^HS/i.test(alg)) {
      throw new TypeError(`protectedResource: the algorithm ${alg} is not allowed`)
    }
  }
  let resource: URL
  try {
    resource = new URL(options.resource)
    new URL(options.issuer)
  } catch {
    throw new TypeError('protectedResource: issuer and resource must be absolute URLs')
  }
  if (resource.hash !== '' || options.resource.includes('#')) {
    throw new TypeError('protectedResource: a resource has no fragment (RFC 8707 §2)')
  }
}
