/** RFC 6750 §2.1 and RFC 9449 §7.1: `Authorization: Bearer|DPoP <token68>`. */
const CREDENTIALS = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i
const SCHEME = /^(Bearer|DPoP)(?: |$)/i

/** How an access token was presented: its scheme and the token. */
export interface PresentedToken {
  scheme: 'Bearer' | 'DPoP'
  token: string
}

/**
 * Reads the `Authorization` header: `none` when it carries no Bearer or DPoP credentials (no
 * header, or another scheme), `malformed` when it names one of them with something that is no
 * token68 (RFC 6750 §3.1 `invalid_request`), or the presented token.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 RFC 6750 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1}
 */
export function readAuthorization(
  header: string | undefined,
): PresentedToken | 'none' | 'malformed' {
  if (header === undefined || header === '') return 'none'
  const match = CREDENTIALS.exec(header)
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] }
  }
  return SCHEME.test(header) ? 'malformed' : 'none'
}
