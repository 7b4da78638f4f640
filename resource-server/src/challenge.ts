import type { TokenError } from './token-error'

/** What a challenge says, besides its scheme. */
export interface ChallengeInput {
  /** The URL of the resource's RFC 9728 metadata. */
  resourceMetadata: string
  realm?: string
  /** The DPoP algorithms accepted, for a DPoP challenge (RFC 9449 §7.1 `algs`). */
  dpopAlgorithms?: readonly string[]
  /** The refusal (one for missing credentials names no error code). */
  error?: TokenError
}

/** An auth-param value as a quoted-string (RFC 9110 §11.2); ours are ASCII without quotes. */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`

/**
 * The `WWW-Authenticate` value of a refusal: `Bearer`, or `DPoP` with `algs` when the token was
 * DPoP-bound or presented as DPoP; `error`, `error_description` and `scope` when a token was
 * presented (a request without credentials gets no error code, RFC 6750 §3.1); always
 * `resource_metadata` so a client can discover the authorization server (RFC 9728 §5.1).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 RFC 6750 §3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-5.1 RFC 9728 §5.1}
 */
export function challenge(input: ChallengeInput): string {
  const dpop = input.error?.dpop === true && input.dpopAlgorithms !== undefined
  const params: string[] = []
  if (input.realm !== undefined) params.push(`realm=${quoted(input.realm)}`)
  if (dpop) params.push(`algs=${quoted((input.dpopAlgorithms ?? []).join(' '))}`)
  if (input.error !== undefined && !input.error.missing) {
    params.push(`error=${quoted(input.error.code)}`)
    params.push(`error_description=${quoted(input.error.description)}`)
    if (input.error.scope !== undefined) params.push(`scope=${quoted(input.error.scope)}`)
  }
  params.push(`resource_metadata=${quoted(input.resourceMetadata)}`)
  return `${dpop ? 'DPoP' : 'Bearer'} ${params.join(', ')}`
}
