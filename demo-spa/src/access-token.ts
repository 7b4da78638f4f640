// Reads the claims of our access tokens (RFC 9068 JWTs) for display and for the portal's role
// check. The signature is not verified here: the token came from the token endpoint over TLS and
// the API verifies it on every call; the UI only uses the claims to decide what to show.

/** The claims the demo shows (RFC 9068 §2.2 plus this server's `tid` and `roles`). */
export interface AccessTokenClaims {
  sub: string
  tid?: string
  roles: string[]
  scope: string
  jti?: string
  exp?: number
  /** The thumbprint of the key a DPoP-bound token is bound to (`cnf.jkt`, RFC 9449 §6.1). */
  jkt?: string
}

/** Role id of the tenant's administrators (docs/architecture.md). */
export const ACCOUNT_ADMINISTRATOR = 'account-administrator'

/** The payload of a JWT, or undefined when it is not one. */
export function readAccessTokenClaims(token: string): AccessTokenClaims | undefined {
  const payload = token.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const base64 = payload.replaceAll('-', '+').replaceAll('_', '/')
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>
    return {
      sub: String(claims.sub ?? ''),
      tid: typeof claims.tid === 'string' ? claims.tid : undefined,
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      scope: typeof claims.scope === 'string' ? claims.scope : '',
      jti: typeof claims.jti === 'string' ? claims.jti : undefined,
      exp: typeof claims.exp === 'number' ? claims.exp : undefined,
      jkt:
        typeof (claims.cnf as { jkt?: unknown })?.jkt === 'string'
          ? (claims.cnf as { jkt: string }).jkt
          : undefined,
    }
  } catch {
    return undefined
  }
}
