/**
 * The resource an access token is for (RFC 9068 §2.2 `aud`): an identifier of this server's
 * resources, distinct per resource and never a client id (RFC 9068 §5, checklist L03).
 */
export function apiAudience(issuer: string): string {
  return `${issuer}/api`
}
