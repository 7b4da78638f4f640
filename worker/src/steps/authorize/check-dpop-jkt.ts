import { isThumbprint } from '../../domain/dpop'
import { OAuthError } from '../../errors'

/**
 * `dpop_jkt` (RFC 9449 §10): the SHA-256 thumbprint (RFC 7638) of the key the client will prove
 * at the token endpoint. The code is bound to it, so a code stolen from the front channel is
 * useless without that key. A value that cannot be a thumbprint is invalid_request.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-10 RFC 9449 §10}
 */
export function checkDpopJkt(dpopJkt: string | undefined): string | undefined {
  if (dpopJkt !== undefined && !isThumbprint(dpopJkt)) {
    throw new OAuthError('invalid_request', 'dpop_jkt must be a base64url SHA-256 JWK thumbprint')
  }
  return dpopJkt
}
