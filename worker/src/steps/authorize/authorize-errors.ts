/**
 * An authorization request that cannot be answered by a redirect, because its client or redirect
 * URI is not verified (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2): the user sees an error page instead,
 * and nothing is sent to the unverified URI (checklist A01, A02).
 */
export class AuthorizePageError extends Error {
  constructor(
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail)
    this.name = 'AuthorizePageError'
  }
}
