import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from 'jose'
import type { Deps } from '../deps'
import {
  CLIENT_ASSERTION_SIGNING_ALGS,
  MAX_CLIENT_ASSERTION_LIFETIME_SECONDS,
} from '../domain/client-assertion'
import { fetchClientJwks, JwksUnavailable } from '../outbound/fetch-jwks'
import { recordClientAssertion } from '../storage/client-assertions'

/** Why an assertion was refused, for logs only (the wire says invalid_client, D02). */
export type AssertionRefusal =
  | 'jwks-unavailable'
  | 'signature'
  | 'claims'
  | 'audience'
  | 'lifetime'
  | 'replayed'

/**
 * Checks a private_key_jwt client assertion (RFC 7523 §3, OIDC Core §9): signed with an
 * asymmetric algorithm by a key of the client's `jwks_uri` (fetched again once when the cached
 * set lacks the key: the client may have rotated; at most once a minute per `jwks_uri`); `iss` and `sub` the client id; `aud` this
 * server's issuer identifier as its only value; `exp` present, in the future and at most five
 * minutes away; `jti` present and never seen before for this client (recorded in D1). The
 * audience is the issuer and not the token endpoint URL: an audience naming an endpoint lets a
 * malicious authorization server that advertises our endpoint as its own obtain assertions it
 * can replay here, which is why draft-ietf-oauth-rfc7523bis requires the issuer as the sole
 * value (RFC 7523 §3 item 3 allows either).
 * Answers undefined when the assertion is accepted, or why not.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7523#section-3 RFC 7523 §3}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication OIDC Core §9}
 * @see {@link https://datatracker.ietf.org/doc/draft-ietf-oauth-rfc7523bis/ draft-ietf-oauth-rfc7523bis}
 */
export async function verifyClientAssertion(
  deps: Deps,
  client: { id: string; jwksUri: string },
  assertion: string,
): Promise<AssertionRefusal | undefined> {
  const now = deps.now()
  let payload: JWTPayload
  try {
    payload = await verifySignature(deps, client, assertion, now, false)
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) {
      try {
        payload = await verifySignature(deps, client, assertion, now, true)
      } catch (retried) {
        return refusalOf(retried)
      }
    } else {
      return refusalOf(error)
    }
  }
  const { aud, exp, jti } = payload
  const audience = Array.isArray(aud) && aud.length === 1 ? aud[0] : aud
  if (audience !== deps.config.issuer) return 'audience'
  if (typeof jti !== 'string' || jti === '' || jti.length > 200) return 'claims'
  if (typeof exp !== 'number' || exp > now + MAX_CLIENT_ASSERTION_LIFETIME_SECONDS) {
    return 'lifetime'
  }
  const first = await recordClientAssertion(deps.db, { clientId: client.id, jti, expiresAt: exp })
  return first ? undefined : 'replayed'
}

async function verifySignature(
  deps: Deps,
  client: { id: string; jwksUri: string },
  assertion: string,
  now: number,
  fresh: boolean,
): Promise<JWTPayload> {
  const jwks = await fetchClientJwks(client.jwksUri, {
    cache: deps.cache,
    allowLoopbackHttp: deps.config.environment !== 'production',
    fresh,
    now,
  })
  const { payload } = await jwtVerify(assertion, createLocalJWKSet(jwks), {
    algorithms: [...CLIENT_ASSERTION_SIGNING_ALGS],
    issuer: client.id,
    subject: client.id,
    requiredClaims: ['exp', 'jti'],
    currentDate: new Date(now * 1000),
  })
  return payload
}

function refusalOf(error: unknown): AssertionRefusal {
  if (error instanceof JwksUnavailable) return 'jwks-unavailable'
  if (error instanceof errors.JWTExpired) return 'lifetime'
  if (error instanceof errors.JWTClaimValidationFailed) return 'claims'
  if (error instanceof errors.JOSEError) return 'signature'
  throw error
}
