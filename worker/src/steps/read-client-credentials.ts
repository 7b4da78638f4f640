import { parseBasicAuthorization } from '../domain/basic-auth'
import type { FormParams } from '../domain/form-body'
import { OAuthError } from '../errors'

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

/** The client credentials a request presents, before they are checked. */
export interface PresentedClient {
  clientId: string
  secret: string | undefined
  method: ClientAuthMethod
  /** Headers for an invalid_client answer: a Basic challenge when Basic was used (§5.2). */
  challenge: Record<string, string>
}

/** The wire text of every failed client authentication: it never tells why (D02). */
export const FAILED = 'Client authentication failed'

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="edge-identity"' }

/**
 * Reads the client credentials of a back-channel request: `client_secret_basic` (the
 * `Authorization` header's value), `client_secret_post`, or only a `client_id` for public
 * clients. Refuses two methods at once (D03) and a body client_id that differs from the Basic
 * one (D04).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 RFC 6749 §2.3}
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
