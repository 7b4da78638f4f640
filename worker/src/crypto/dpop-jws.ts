import { decodeProtectedHeader, EmbeddedJWK, type JWK, type JWTPayload, jwtVerify } from 'jose'
import { DPOP_PROOF_MAX_LENGTH, DPOP_SIGNING_ALGS, PRIVATE_JWK_MEMBERS } from '../domain/dpop'

/** A DPoP proof whose JWS checks out: the public key in its header and its claims. */
export type DpopJws =
  | { ok: true; jwk: JWK; payload: JWTPayload }
  /** Why not, as a wire-safe sentence; `cause` for the logs. */
  | { ok: false; reason: string; cause?: unknown }

/**
 * The JWS items of RFC 9449 §4.3 (1, 2, 4 to 7), with jose: one header value, one compact JWT,
 * `typ: dpop+jwt`, an asymmetric `alg` this server accepts (never `none` or an HMAC), a public
 * `jwk` (no private or symmetric members, checked before the key is imported), and a signature
 * by that key. The claims are the caller's to judge.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3}
 */
export async function verifyDpopJws(proof: string): Promise<DpopJws> {
  // A JWS has no comma: several DPoP headers arrive joined by commas.
  if (proof.includes(',')) return { ok: false, reason: 'Send exactly one DPoP header' }
  if (proof.length > DPOP_PROOF_MAX_LENGTH) {
    return { ok: false, reason: 'The DPoP proof is too long' }
  }
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(proof)
  } catch (cause) {
    return { ok: false, reason: 'The DPoP proof is not a JWT', cause }
  }
  if (header.typ !== 'dpop+jwt') return { ok: false, reason: 'The DPoP proof typ must be dpop+jwt' }
  if (!(DPOP_SIGNING_ALGS as readonly string[]).includes(header.alg ?? '')) {
    return { ok: false, reason: 'The DPoP proof alg is not supported' }
  }
  const jwk = header.jwk as JWK | undefined
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    return { ok: false, reason: 'The DPoP proof has no jwk' }
  }
  if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) {
    return { ok: false, reason: 'The DPoP proof jwk must be a public key' }
  }
  try {
    const { payload } = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: [...DPOP_SIGNING_ALGS],
      typ: 'dpop+jwt',
    })
    return { ok: true, jwk, payload }
  } catch (cause) {
    return { ok: false, reason: 'The DPoP proof signature does not verify', cause }
  }
}
