/** RFC 6750 §2.1 and RFC 9449 §7.1: `Authorization: Bearer|DPoP <token68>`. */
const AUTHORIZATION = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i

/** How an access token was presented: its scheme (RFC 6750 or RFC 9449 §7.1) and the token. */
export interface PresentedAuthorization {
  scheme: 'Bearer' | 'DPoP'
  token: string
}

/**
 * The scheme and token of a `Bearer` or `DPoP` Authorization header, or undefined.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 RFC 6750 §2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1}
 */
export function readAuthorization(header: string | undefined): PresentedAuthorization | undefined {
  const match = header === undefined ? null : AUTHORIZATION.exec(header)
  if (match === null || match[1] === undefined || match[2] === undefined) return undefined
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] }
}

/** The token of a Bearer Authorization header, or undefined. */
export function readBearer(header: string | undefined): string | undefined {
  const presented = readAuthorization(header)
  return presented?.scheme === 'Bearer' ? presented.token : undefined
}
