import { calculateJwkThumbprint } from 'jose'
import { verifyDpopJws } from '../crypto/dpop-jws'
import { sha256 } from '../crypto/hash'
import type { Deps } from '../deps'
import {
  DPOP_JTI_MAX_LENGTH,
  DPOP_PROOF_MAX_AGE_SECONDS,
  DPOP_PROOF_MAX_SKEW_SECONDS,
  normalizeHtu,
} from '../domain/dpop'
import { OAuthError } from '../errors'
import { recordDpopProof } from '../storage/dpop-proofs'
import { isCurrentDpopNonce, issueDpopNonce } from './dpop-nonce'

export interface DpopProofInput {
  /** The `DPoP` header as received (several headers arrive joined by commas). */
  proof: string
  /** The request's method (`htm`). */
  method: string
  /** The URL the request was made to, as this server names it (`htu`). */
  url: string
  /** At a resource: the access token the proof must name by its hash (`ath`). */
  accessToken?: string
  /** Whether the proof must carry a server nonce (RFC 9449 §8). */
  requireNonce: boolean
}

/** What a valid proof establishes: the thumbprint of the key that signed it (RFC 7638). */
export interface VerifiedDpopProof {
  jkt: string
}

const invalid = (description: string, cause?: unknown) =>
  new OAuthError('invalid_dpop_proof', description, { cause })

/**
 * Checks a DPoP proof, every item of RFC 9449 §4.3 in order, and that its `jti` was never
 * accepted before (§11.1, one conditional insert in D1). Any failure is `invalid_dpop_proof`; a
 * missing, stale or foreign nonce is `use_dpop_nonce` with a fresh `DPoP-Nonce` header (§8).
 * The key-to-token match of item 12 is the caller's (steps/verify-access-token.ts, the grants).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-11.1 RFC 9449 §11.1}
 */
export async function checkDpopProof(
  deps: Deps,
  input: DpopProofInput,
): Promise<VerifiedDpopProof> {
  // 1, 2, 4 to 7: one compact JWS, typ, alg, a public jwk, its signature.
  const jws = await verifyDpopJws(input.proof)
  if (!jws.ok) throw invalid(jws.reason, jws.cause)
  const { jwk, payload } = jws
  // 3: the required claims.
  const { jti, htm, htu, iat, nonce, ath } = payload as Record<string, unknown>
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
  // 8, 9: made for this method and this URL (without query and fragment, normalised).
  if (htm !== input.method) throw invalid('The DPoP proof htm does not match the request')
  const expected = normalizeHtu(input.url)
  if (expected === undefined || normalizeHtu(htu) !== expected) {
    throw invalid('The DPoP proof htu does not match the request')
  }
  // 10: the server's nonce, when it requires one or the proof names one.
  if (nonce !== undefined || input.requireNonce) {
    if (typeof nonce !== 'string' || !(await isCurrentDpopNonce(deps, nonce))) {
      throw new OAuthError('use_dpop_nonce', 'Use the DPoP-Nonce the server provided', {
        headers: { 'DPoP-Nonce': await issueDpopNonce(deps) },
      })
    }
  }
  // 11: made just now.
  const now = deps.now()
  if (iat < now - DPOP_PROOF_MAX_AGE_SECONDS || iat > now + DPOP_PROOF_MAX_SKEW_SECONDS) {
    throw invalid('The DPoP proof iat is outside the acceptable window')
  }
  // 12 (the hash part): made for this access token.
  if (input.accessToken !== undefined && ath !== (await sha256(input.accessToken))) {
    throw invalid('The DPoP proof ath does not match the access token')
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256')
  // §11.1: single use, across isolates.
  const first = await recordDpopProof(deps.db, {
    jkt,
    jti,
    expiresAt: Math.floor(iat) + DPOP_PROOF_MAX_AGE_SECONDS + DPOP_PROOF_MAX_SKEW_SECONDS,
  })
  if (!first) throw invalid('The DPoP proof was used before')
  return { jkt }
}
