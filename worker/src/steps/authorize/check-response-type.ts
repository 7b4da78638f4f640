import { assertPresent } from '../../domain/assert-parameter'
import type { Client } from '../../domain/client'
import type { ResponseMode } from '../../domain/redirect-uri'
import { OAuthError } from '../../errors'
import type { AuthorizationRequest } from './authorization-request'

export type ResponseType = 'code' | 'code id_token'
export type { ResponseMode }

/**
 * How responses are sent before the response type is known to be valid: the requested mode if it
 * is one we support, else the default of the requested type (Multiple Response Type Encoding §2.1).
 * @see {@link https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 *   Multiple Response Type Encoding §2.1}
 */
export function requestedResponseMode(request: AuthorizationRequest): ResponseMode {
  const mode = request.responseMode
  const hybrid = isHybrid(request.responseType)
  // An ID token never travels in a query, not even when the request asked for one (§5).
  if (isBodyOrFragmentMode(mode) || (mode === 'query' && !hybrid)) return mode
  return hybrid ? 'fragment' : 'query'
}

/** The modes that keep the response out of URLs the server or a proxy may log. */
const isBodyOrFragmentMode = (mode: string | undefined): mode is Exclude<ResponseMode, 'query'> =>
  mode === 'fragment' || mode === 'form_post' || mode === 'web_message'

const isResponseMode = (mode: string): mode is ResponseMode =>
  mode === 'query' || isBodyOrFragmentMode(mode)

const isHybrid = (type: string | undefined) =>
  type !== undefined && type.split(' ').sort().join(' ') === 'code id_token'

/**
 * `code` for authorization-code and hybrid clients, `code id_token` for hybrid clients only;
 * `response_mode` query, fragment, form_post or web_message, never query for `code id_token` (its
 * ID token must not end up in logs and Referer headers, Multiple Response Type Encoding §5;
 * checklist A08, A09).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1.1 RFC 6749 §3.1.1}
 * @see {@link https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 *   Multiple Response Type Encoding §2.1}
 * @see {@link https://datatracker.ietf.org/doc/html/draft-sakimura-oauth-wmrm-00
 *   Web Message Response Mode}
 */
export function checkResponseType(
  request: AuthorizationRequest,
  client: Client,
): { responseType: ResponseType; responseMode: ResponseMode } {
  if (request.repeated.has('response_type')) {
    throw new OAuthError('invalid_request', 'response_type is repeated')
  }
  const type = request.responseType
  assertPresent(type, 'response_type')
  const responseType: ResponseType | undefined =
    type === 'code' ? 'code' : isHybrid(type) ? 'code id_token' : undefined
  if (responseType === undefined) {
    throw new OAuthError('unsupported_response_type', 'Use response_type code or code id_token')
  }
  if (responseType === 'code id_token' && client.type !== 'hybrid') {
    throw new OAuthError('unauthorized_client', 'This client may use response_type code only')
  }
  if (request.repeated.has('response_mode')) {
    throw new OAuthError('invalid_request', 'response_mode is repeated')
  }
  const mode = request.responseMode
  if (mode !== undefined && !isResponseMode(mode)) {
    throw new OAuthError('invalid_request', 'Unsupported response_mode')
  }
  if (mode === 'query' && responseType === 'code id_token') {
    throw new OAuthError('invalid_request', 'response_mode query is not allowed with code id_token')
  }
  return { responseType, responseMode: mode ?? (responseType === 'code' ? 'query' : 'fragment') }
}
