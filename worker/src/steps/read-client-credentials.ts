import { decodeJwt } from 'jose'
import { parseBasicAuthorization } from '../domain/basic-auth'
import { JWT_BEARER_ASSERTION_TYPE } from '../domain/client-assertion'
import type { FormParams } from '../domain/form-body'
import { OAuthError } from '../errors'

export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'none'

/** The client credentials a request presents, before they are checked. */
export interface PresentedClient {
  clientId: string
  secret: string | undefined
  method: ClientAuthMethod
  /** The JWT of `private_key_jwt` (RFC 7523 §2.2), checked later against the client's keys. */
  assertion?: string
  /** Headers for an invalid_client answer: a Basic challenge when Basic was used (§5.2). */
  challenge: Record<string, string>
}

/** The wire text of every failed client authentication: it never tells why (D02). */
export const FAILED = 'Client authentication failed'

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="edge-identity"' }

/**
 * Reads the client credentials of a back-channel request: `client_secret_basic` (the
 * `Authorization` header's value), `client_secret_post`, or only a `client_id` for public
 * clients, or a JWT client assertion (`private_key_jwt`). Refuses two methods at once (D03) and a
 * body client_id that differs from the Basic one or the assertion's (D04).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 RFC 6749 §2.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7523#section-2.2 RFC 7523 §2.2}
 */
export function readClientCredentials(
  authorization: string | undefined,
  params: FormParams,
): PresentedClient {
  const basic = parseBasicAuthorization(authorization)
  // RFC 6749 §5.2: a client that used the Authorization header gets a Basic challenge back.
  const challenge: Record<string, string> = basic === undefined ? {} : BASIC_CHALLENGE
  if (basic === null) throw new OAuthError('invalid_client', FAILED, { headers: challenge })

  const bodyId = params.get('client_id')
  const bodySecret = params.get('client_secret')
  const assertionType = params.get('client_assertion_type')
  const assertion = params.get('client_assertion')
  if (assertionType !== undefined || assertion !== undefined) {
    if (basic !== undefined || bodySecret !== undefined) {
      throw new OAuthError('invalid_request', 'Use one client authentication method')
    }
    return readAssertion(bodyId, assertionType, assertion)
  }
  if (basic !== undefined && bodySecret !== undefined) {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method (D03).
    throw new OAuthError('invalid_request', 'Use one client authentication method')
  }
  if (basic !== undefined && bodyId !== undefined && bodyId !== basic.clientId) {
    throw new OAuthError('invalid_request', 'client_id does not match the Authorization header')
  }
  const clientId = basic?.clientId ?? bodyId
  if (clientId === undefined) {
    throw new OAuthError('invalid_client', 'Client authentication is required', {
      headers: BASIC_CHALLENGE,
    })
  }
  const secret = basic?.clientSecret ?? bodySecret
  const method: ClientAuthMethod =
    basic !== undefined
      ? 'client_secret_basic'
      : secret !== undefined
        ? 'client_secret_post'
        : 'none'
  return { clientId, secret, method, challenge }
}

/**
 * A JWT client assertion (RFC 7523 §2.2): the type must be jwt-bearer, and the client is the
 * one its `sub` names (RFC 7521 §4.2: `client_id` is optional), which a body `client_id` must
 * equal. The signature and claims are checked once the client is found
 * (steps/verify-client-assertion.ts).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7523#section-2.2 RFC 7523 §2.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7521#section-4.2 RFC 7521 §4.2}
 */
function readAssertion(
  bodyId: string | undefined,
  assertionType: string | undefined,
  assertion: string | undefined,
): PresentedClient {
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE || assertion === undefined) {
    throw new OAuthError('invalid_client', FAILED)
  }
  let subject: unknown
  try {
    subject = decodeJwt(assertion).sub
  } catch {
    throw new OAuthError('invalid_client', FAILED)
  }
  if (
    typeof subject !== 'string' ||
    subject === '' ||
    (bodyId !== undefined && bodyId !== subject)
  ) {
    throw new OAuthError('invalid_client', FAILED)
  }
  return {
    clientId: subject,
    secret: undefined,
    method: 'private_key_jwt',
    assertion,
    challenge: {},
  }
}
