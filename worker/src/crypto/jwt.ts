import { type JWTPayload, SignJWT } from 'jose'
import type { SigningKey } from './signing-keys'

/**
 * Signs a JWT with `kid` and `typ` in the protected header (RFC 7515 §4.1; RFC 9068 §2.1 wants
 * `typ: at+jwt` for access tokens, so a resource server can tell them from ID tokens).
 */
export function signJwt(
  key: SigningKey,
  typ: 'at+jwt' | 'JWT',
  payload: JWTPayload,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.key)
}
