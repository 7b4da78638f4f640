/**
 * A parameter's name as it may appear in an `error_description`, which allows only some ASCII
 * (RFC 6749 §5.2): the name itself when it is a plain protocol name, else a neutral phrase.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2}
 */
export function describeParameter(name: string): string {
  return /^[a-z_]{1,40}$/.test(name) ? name : 'a parameter'
}
