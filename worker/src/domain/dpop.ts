/**
 * The JWS algorithms this server accepts in DPoP proofs: asymmetric only, never `none` or an
 * HMAC (RFC 9449 §4.3 items 5 and 6). Advertised as `dpop_signing_alg_values_supported`.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-5.1 RFC 9449 §5.1}
 */
export const DPOP_SIGNING_ALGS = ['ES256', 'EdDSA', 'RS256', 'PS256'] as const

/**
 * How old a proof's `iat` may be. A proof is made for one request and sent at once; the window
 * also bounds how long its `jti` must be remembered (storage/dpop-proofs.ts).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-11.1 RFC 9449 §11.1}
 */
export const DPOP_PROOF_MAX_AGE_SECONDS = 60

/** How far in the future a proof's `iat` may be: the client's clock may run a little ahead. */
export const DPOP_PROOF_MAX_SKEW_SECONDS = 5

/** How long a server nonce stays acceptable (RFC 9449 §8); a fresh one comes with each answer. */
export const DPOP_NONCE_LIFETIME_SECONDS = 300

/** A proof far longer than any honest one (an RSA-4096 key and a nonce) is refused unread. */
export const DPOP_PROOF_MAX_LENGTH = 4096

/** A `jti` is stored per proof: bounded, so no one stores megabytes with us. */
export const DPOP_JTI_MAX_LENGTH = 256

/** A JWK SHA-256 thumbprint (RFC 7638) in base64url: 43 characters. */
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/

/**
 * Whether a value can be a JWK SHA-256 thumbprint (`dpop_jkt`, `cnf.jkt`).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-10 RFC 9449 §10}
 */
export function isThumbprint(value: string): boolean {
  return THUMBPRINT.test(value)
}

/**
 * The `htu` form of a URL: scheme, host (lower case, default port dropped by the URL parser,
 * RFC 3986 §6.2.2 and §6.2.3) and path; no query, no fragment (RFC 9449 §4.3 item 9). Undefined
 * for anything that is not an absolute http(s) URL without credentials.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3}
 */
export function normalizeHtu(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username !== '' || url.password !== '') return undefined
  return `${url.protocol}//${url.host}${url.pathname}`
}

/**
 * The members of a JWK that belong to a private or symmetric key (RFC 7518 §6; `priv` of the
 * post-quantum AKP keys jose knows).
 */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const
