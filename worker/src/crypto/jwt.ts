import { type JWTPayload, SignJWT } from 'jose'
import type { SigningKey } from './signing-keys'

/**
 * Signs a JWT with `kid` and `typ` in the protected header (RFC 7515 §4.1; RFC 9068 §2.1 wants
 * `typ: at+jwt` for access tokens, so a resource server can tell them from ID tokens).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7515#section-4.1 RFC 7515 §4.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-2.1 RFC 9068 §2.1}
 */
export function signJwt(
  key: SigningKey,
  typ: 'at+jwt' | 'JWT',
  payload: JWTPayload,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.key)
}
