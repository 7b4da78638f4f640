import { type AccessTokenCheck, type AccessTokenClaims, verifyAccessToken } from './access-token'
import { readAuthorization } from './authorization-header'
import { checkDpopProof } from './dpop-proof'
import type { ReplayStore } from './replay-store'
import { TokenError } from './token-error'

/** Everything {@link authenticate} needs besides the request. */
export interface AuthenticateSettings extends AccessTokenCheck {
  dpop: 'allowed' | 'required' | 'off'
  dpopAlgorithms: readonly string[]
  replayStore: ReplayStore
}

/** The parts of a request that carry its credentials. */
export interface CredentialsRequest {
  method: string
  url: string
  authorization: string | undefined
  dpop: string | undefined
}

/**
 * Authenticates a request to the resource: reads `Authorization` (header only, RFC 6750 §2.1),
 * verifies the token (RFC 9068), then applies the one DPoP rule of RFC 9449 §7: a token bound to
 * a key (`cnf.jkt`) is honoured only as `Authorization: DPoP` with a valid proof of that key for
 * this request and this token, never as Bearer (whoever stole it lacks the key, §7.2); an unbound
 * token is never honoured as DPoP. Throws {@link TokenError}.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-7 RFC 9449 §7}
 */
export async function authenticate(
  request: CredentialsRequest,
  settings: AuthenticateSettings,
): Promise<AccessTokenClaims> {
  const presented = readAuthorization(request.authorization)
  if (presented === 'none') {
    throw new TokenError('invalid_request', 'An access token is required', { missing: true })
  }
  if (presented === 'malformed') {
    throw new TokenError('invalid_request', 'The Authorization header is malformed')
  }
  const asDpop = presented.scheme === 'DPoP'
  const claims = await verifyAccessToken(presented.token, settings, asDpop)
  const refuse = (description: string) =>
    new TokenError('invalid_token', description, { dpop: true })
  if (claims.jkt === undefined) {
    if (asDpop) throw refuse('The access token is not DPoP-bound; send it as Bearer')
    if (settings.dpop === 'required') throw refuse('This resource requires a DPoP-bound token')
    return claims
  }
  if (settings.dpop === 'off') throw refuse('This resource does not accept DPoP-bound tokens')
  if (!asDpop) throw refuse('The access token is DPoP-bound; send it with the DPoP scheme')
  await checkDpopProof({
    proof: request.dpop,
    method: request.method,
    url: request.url,
    accessToken: presented.token,
    jkt: claims.jkt,
    algorithms: settings.dpopAlgorithms,
    replayStore: settings.replayStore,
    now: settings.now,
  })
  return claims
}
