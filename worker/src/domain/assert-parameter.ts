import { OAuthError } from '../errors'
import { describeParameter } from './parameter-name'

/**
 * Narrowing assertions for request parameters, checked once at the edge (oauth4webapi's
 * `assertString` style): each names the parameter in its message and throws `invalid_request`.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2}
 */
export function assertPresent(value: string | undefined, name: string): asserts value is string {
  if (value === undefined) {
    throw new OAuthError('invalid_request', `${describeParameter(name)} is required`)
  }
}

/** Asserts that a present value is at most `max` characters long. */
export function assertMaxLength(value: string | undefined, name: string, max: number): void {
  if (value !== undefined && value.length > max) {
    throw new OAuthError(
      'invalid_request',
      `${describeParameter(name)} must be at most ${max} characters`,
    )
  }
}
