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

/**
 * The management API's resource identifier in its RFC 9728 metadata: the URL its requests go
 * under. A client may name it, or the audience {@link apiAudience}, as `resource` (RFC 8707);
 * either gets a token whose `aud` is {@link apiAudience}, the audience the API accepts.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-3.3 RFC 9728 §3.3}
 */
export function apiResourceIdentifier(issuer: string): string {
  return `${issuer}/api/v1`
}

/**
 * Where the management API's protected-resource metadata is: the well-known suffix inserted
 * between the host and the path of its resource identifier.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-3.1 RFC 9728 §3.1}
 */
export function apiResourceMetadataUrl(issuer: string): string {
  const url = new URL(apiResourceIdentifier(issuer))
  return `${url.origin}/.well-known/oauth-protected-resource${url.pathname}`
}
