import { DPOP_SIGNING_ALGS } from './dpop'

export interface ChallengeOptions {
  /** A DPoP challenge (RFC 9449 §7.1) rather than a Bearer one (RFC 6750 §3). */
  dpop: boolean
  /** The error code; none when the request carried no credentials at all (RFC 6750 §3.1). */
  error?: string
  /** The scope the resource needs, with insufficient_scope. */
  scope?: string
  /** The URL of the resource's RFC 9728 metadata (RFC 9728 §5.1). */
  resourceMetadata?: string
}

/**
 * The `WWW-Authenticate` value of a resource of this server. A DPoP challenge names the
 * algorithms accepted in proofs (`algs`); a Bearer one stays as it was for unbound tokens.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 RFC 6750 §3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-5.1 RFC 9728 §5.1}
 */
export function accessTokenChallenge(realm: string, options: ChallengeOptions): string {
  const params = [`realm="${realm}"`]
  if (options.dpop) params.push(`algs="${DPOP_SIGNING_ALGS.join(' ')}"`)
  if (options.error !== undefined) params.push(`error="${options.error}"`)
  if (options.scope !== undefined) params.push(`scope="${options.scope}"`)
  if (options.resourceMetadata !== undefined) {
    params.push(`resource_metadata="${options.resourceMetadata}"`)
  }
  return `${options.dpop ? 'DPoP' : 'Bearer'} ${params.join(', ')}`
}

/** What each refusal of an access token says (wire-safe, RFC 6749 §5.2), wherever it is met. */
export const ACCESS_TOKEN_REFUSALS = {
  invalid_token: 'The access token is invalid, expired or revoked',
  invalid_dpop_proof: 'The DPoP proof is missing or invalid',
  use_dpop_nonce: 'Use the DPoP-Nonce the server provided',
} as const
