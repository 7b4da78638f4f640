/**
 * The resources an access token is for (RFC 9068 §2.2 `aud`): identifiers of this server's
 * resources, distinct per resource and never a client id (RFC 9068 §5, checklist L03).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-2.2 RFC 9068 §2.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9068#section-5 RFC 9068 §5}
 */
export function apiAudience(issuer: string): string {
  return `${issuer}/api`
}

export function userinfoAudience(issuer: string): string {
  return `${issuer}/userinfo`
}

/** The audiences a scope gives: userinfo for `openid`, the management API for `api`. */
export function audiencesFor(issuer: string, scope: readonly string[]): string[] {
  return [
    ...(scope.includes('openid') ? [userinfoAudience(issuer)] : []),
    ...(scope.includes('api') ? [apiAudience(issuer)] : []),
  ]
}
