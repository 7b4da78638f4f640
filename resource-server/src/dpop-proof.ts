import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
} from 'jose'
import { normalizeHtu } from './htu'
import type { ReplayStore } from './replay-store'
import { TokenError } from './token-error'

/** How old a proof's `iat` may be, and how far ahead of our clock (the client's may run fast). */
export const DPOP_PROOF_MAX_AGE_SECONDS = 60
export const DPOP_PROOF_MAX_SKEW_SECONDS = 5
/** A proof far longer than any honest one (an RSA-4096 key) is refused unread. */
const DPOP_PROOF_MAX_LENGTH = 4096
const DPOP_JTI_MAX_LENGTH = 256
/** Members of a JWK that belong to a private or symmetric key (RFC 7518 §6). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv']

/** What a proof is checked against. */
export interface DpopProofCheck {
  /** The `DPoP` header as received (several headers arrive joined by commas). */
  proof: string | undefined
  method: string
  url: string
  accessToken: string
  /** The thumbprint the access token is bound to (`cnf.jkt`). */
  jkt: string
  algorithms: readonly string[]
  replayStore: ReplayStore
  now: () => number
}

const invalid = (description: string, cause?: unknown) =>
  new TokenError('invalid_dpop_proof', description, { dpop: true, cause })

/**
 * Checks the DPoP proof of a request with a bound access token, RFC 9449 §4.3 in order: one
 * compact JWS, `typ` `dpop+jwt`, an allowed asymmetric `alg`, a public `jwk` whose signature
 * verifies; `jti`, `htm` and `htu` of this request, `iat` within the window, `ath` the token's
 * hash, the key the token is bound to (§7.1); then that its `jti` was not seen (§11.1).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1}
 */
export async function checkDpopProof(check: DpopProofCheck): Promise<void> {
  const { proof } = check
  if (proof === undefined) throw invalid('A DPoP proof is required')
  if (proof.includes(',')) throw invalid('Send exactly one DPoP header')
  if (proof.length > DPOP_PROOF_MAX_LENGTH) throw invalid('The DPoP proof is too long')
  let jwk: JWK
  let payload: JWTPayload
  try {
    const header = decodeProtectedHeader(proof)
    jwk = header.jwk as JWK
    if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new Error('no jwk')
    if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) throw new Error('private jwk')
    ;({ payload } = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: [...check.algorithms],
      typ: 'dpop+jwt',
    }))
  } catch (cause) {
    throw invalid('The DPoP proof is not a valid dpop+jwt', cause)
  }
  const { jti, htm, htu, iat, ath } = payload as Record<string, unknown>
  if (
    typeof jti !== 'string' ||
    jti === '' ||
    jti.length > DPOP_JTI_MAX_LENGTH ||
    typeof htm !== 'string' ||
    typeof htu !== 'string' ||
    typeof iat !== 'number' ||
    !Number.isFinite(iat)
  ) {
    throw invalid('The DPoP proof lacks jti, htm, htu or iat')
  }
  if (htm !== check.method) throw invalid('The DPoP proof htm does not match the request')
  const expected = normalizeHtu(check.url)
  if (expected === undefined || normalizeHtu(htu) !== expected) {
    throw invalid('The DPoP proof htu does not match the request')
  }
  const now = check.now()
  if (iat < now - DPOP_PROOF_MAX_AGE_SECONDS || iat > now + DPOP_PROOF_MAX_SKEW_SECONDS) {
    throw invalid('The DPoP proof iat is outside the acceptable window')
  }
  const hash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(check.accessToken)),
  )
  if (ath !== base64url.encode(hash)) {
    throw invalid('The DPoP proof ath does not match the access token')
  }
  if ((await calculateJwkThumbprint(jwk, 'sha256')) !== check.jkt) {
    throw invalid('The DPoP proof key is not the key the token is bound to')
  }
  const expiresAt = Math.floor(iat) + DPOP_PROOF_MAX_AGE_SECONDS + DPOP_PROOF_MAX_SKEW_SECONDS
  if (!(await check.replayStore.record(`${check.jkt}:${jti}`, expiresAt))) {
    throw invalid('The DPoP proof was used before')
  }
}
