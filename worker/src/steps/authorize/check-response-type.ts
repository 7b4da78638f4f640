import type { Client } from '../../domain/client'
import { OAuthError } from '../../errors'
import { type AuthorizationParams, REPEATED, single } from './read-authorization-params'

export type ResponseType = 'code' | 'code id_token'
export type ResponseMode = 'query' | 'fragment' | 'form_post'

/**
 * How responses are sent before the response type is known to be valid: the requested mode if it
 * is one we support, else the default of the requested type (Multiple Response Type Encoding §2.1).
 */
export function requestedResponseMode(params: AuthorizationParams): ResponseMode {
  const mode = single(params, 'response_mode')
  const hybrid = isHybrid(single(params, 'response_type'))
  // An ID token never travels in a query, not even when the request asked for one (§5).
  if (mode === 'fragment' || mode === 'form_post' || (mode === 'query' && !hybrid)) return mode
  return hybrid ? 'fragment' : 'query'
}

const isHybrid = (type: unknown) =>
  typeof type === 'string' && type.split(' ').sort().join(' ') === 'code id_token'

/**
 * `code` for authorization-code and hybrid clients, `code id_token` for hybrid clients only;
 * `response_mode` query, fragment or form_post, never query for `code id_token` (its ID token must
 * not end up in logs and Referer headers, Multiple Response Type Encoding §5; checklist A08, A09).
 */
export function checkResponseType(
  params: AuthorizationParams,
  client: Client,
): { responseType: ResponseType; responseMode: ResponseMode } {
  const type = single(params, 'response_type')
  if (type === undefined) throw new OAuthError('invalid_request', 'response_type is required')
  if (type === REPEATED) throw new OAuthError('invalid_request', 'response_type is repeated')
  const responseType: ResponseType | undefined =
    type === 'code' ? 'code' : isHybrid(type) ? 'code id_token' : undefined
  if (responseType === undefined) {
    throw new OAuthError('unsupported_response_type', 'Use response_type code or code id_token')
  }
  if (responseType === 'code id_token' && client.type !== 'hybrid') {
    throw new OAuthError('unauthorized_client', 'This client may use response_type code only')
  }
  const mode = single(params, 'response_mode')
  if (mode === REPEATED) throw new OAuthError('invalid_request', 'response_mode is repeated')
  if (mode !== undefined && mode !== 'query' && mode !== 'fragment' && mode !== 'form_post') {
    throw new OAuthError('invalid_request', 'Unsupported response_mode')
  }
  if (mode === 'query' && responseType === 'code id_token') {
    throw new OAuthError('invalid_request', 'response_mode query is not allowed with code id_token')
  }
  return { responseType, responseMode: mode ?? (responseType === 'code' ? 'query' : 'fragment') }
}
