/**
 * Scope values this server knows. `api` is the management API's scope; the OpenID Connect ones
 * exist for the browser kinds of clients.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.3 RFC 6749 §3.3}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims OIDC Core §5.4}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#OfflineAccess OIDC Core §11}
 */
export const SCOPES = ['openid', 'profile', 'email', 'offline_access', 'api'] as const
export type Scope = (typeof SCOPES)[number]

const KNOWN = new Set<string>(SCOPES)

export function isKnownScope(value: string): value is Scope {
  return KNOWN.has(value)
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

export type ParsedScope = { ok: true; values: string[] } | { ok: false; reason: 'grammar' }

/**
 * Splits a `scope` parameter into its values, de-duplicated, in the order given. Values outside
 * the scope-token grammar (a `"`, a `\`, a control character) make the whole parameter invalid
 * (checklist E04). An empty or absent parameter gives no values.
 */
export function parseScope(scope: string | undefined): ParsedScope {
  if (scope === undefined || scope === '') return { ok: true, values: [] }
  const values = scope.split(' ')
  if (values.some((value) => !SCOPE_TOKEN.test(value))) return { ok: false, reason: 'grammar' }
  return { ok: true, values: [...new Set(values)] }
}
