import { describeParameter } from '../../domain/parameter-name'
import { OAuthError } from '../../errors'
import type { AuthorizationRequest } from './authorization-request'

/**
 * Every parameter at most once (RFC 6749 §3.1; checklist A05): a repeated `state` or `scope`
 * would let two parties read the request differently. Unknown parameters are ignored.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1 RFC 6749 §3.1}
 */
export function checkRepeated(request: AuthorizationRequest): void {
  for (const name of request.repeated) {
    throw new OAuthError('invalid_request', `Parameter ${describeParameter(name)} is repeated`)
  }
}
