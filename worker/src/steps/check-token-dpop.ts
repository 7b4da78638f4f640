import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { OAuthError } from '../errors'
import { checkDpopProof } from './check-dpop-proof'

/**
 * The DPoP stage of the token endpoint, after client authentication and for every grant: a proof
 * sent is checked (steps/check-dpop-proof.ts) and its key's thumbprint binds what the grant
 * issues; without one, a client whose administrator set `requireDpop` gets nothing, so it never
 * holds an unbound token. Answers the thumbprint, or undefined for an unbound request.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-5 RFC 9449 §5}
 */
export async function checkTokenDpop(
  deps: Deps,
  client: Client,
  /** The request's proof with the method and URL it must name, or undefined when it sent none. */
  sent: { proof: string; method: string; url: string } | undefined,
): Promise<string | undefined> {
  if (sent === undefined) {
    if (client.requireDpop) {
      throw new OAuthError('invalid_dpop_proof', 'This client must send a DPoP proof')
    }
    return undefined
  }
  const { jkt } = await checkDpopProof(deps, {
    proof: sent.proof,
    method: sent.method,
    url: sent.url,
    requireNonce: deps.config.requireDpopNonce,
  })
  return jkt
}
