import { describeParameter } from '../../domain/parameter-name'
import { OAuthError } from '../../errors'
import type { AuthorizationParams } from './read-authorization-params'

/**
 * Every parameter at most once (RFC 6749 §3.1; checklist A05): a repeated `state` or `scope`
 * would let two parties read the request differently. Unknown parameters are ignored.
 */
export function checkRepeated(params: AuthorizationParams): void {
  for (const [name, values] of params) {
    if (values.length > 1)
      throw new OAuthError('invalid_request', `Parameter ${describeParameter(name)} is repeated`)
  }
}
