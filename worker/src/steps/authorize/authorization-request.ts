import type { FormFields } from '../../domain/form-body'

/**
 * Every value of every parameter, so repeated parameters can be refused (RFC 6749 §3.1).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1 RFC 6749 §3.1}
 */
export type AuthorizationParams = ReadonlyMap<string, readonly string[]>

/**
 * An authorization request as read once from the query (GET) or the form body (POST): one field
 * per parameter this server reads, undefined when absent, empty, or sent more than once (then
 * its name is in `repeated`, for check-client, check-redirect-uri and check-repeated to refuse).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 RFC 6749 §4.1.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1}
 */
export interface AuthorizationRequest {
  /** Every parameter as sent (empty values dropped), to carry the request through sign-in. */
  readonly params: AuthorizationParams
  /** The parameters sent more than once. */
  readonly repeated: ReadonlySet<string>
  readonly clientId: string | undefined
  readonly redirectUri: string | undefined
  readonly responseType: string | undefined
  readonly responseMode: string | undefined
  readonly scope: string | undefined
  readonly state: string | undefined
  readonly nonce: string | undefined
  readonly codeChallenge: string | undefined
  readonly codeChallengeMethod: string | undefined
  readonly prompt: string | undefined
  readonly maxAge: string | undefined
  readonly idTokenHint: string | undefined
  readonly loginHint: string | undefined
  /** RFC 9449 §10: the thumbprint of the DPoP key the code is bound to. */
  readonly dpopJkt: string | undefined
  /** RFC 8707 §2: every `resource` value, in order (the one parameter that may repeat). */
  readonly resources: readonly string[]
}

/**
 * Reads an authorization request from its parameters, in any order (checklist A06). Empty values
 * count as absent (RFC 6749 §3.1); unknown parameters are kept for the round trip and otherwise
 * ignored (A05).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1 RFC 6749 §3.1}
 */
export function readAuthorizationRequest(
  source: URLSearchParams | FormFields,
): AuthorizationRequest {
  const params = new Map<string, string[]>()
  const add = (name: string, value: string) => {
    if (value !== '') params.set(name, [...(params.get(name) ?? []), value])
  }
  if (source instanceof URLSearchParams) {
    for (const [name, value] of source) add(name, value)
  } else {
    for (const [name, values] of source) for (const value of values) add(name, value)
  }
  // RFC 8707 §2: `resource` may be sent more than once, one value per resource.
  const repeated = new Set(
    [...params]
      .filter(([name, values]) => values.length > 1 && name !== 'resource')
      .map(([name]) => name),
  )
  const one = (name: string) => (repeated.has(name) ? undefined : params.get(name)?.[0])
  return {
    params,
    repeated,
    clientId: one('client_id'),
    redirectUri: one('redirect_uri'),
    responseType: one('response_type'),
    responseMode: one('response_mode'),
    scope: one('scope'),
    state: one('state'),
    nonce: one('nonce'),
    codeChallenge: one('code_challenge'),
    codeChallengeMethod: one('code_challenge_method'),
    prompt: one('prompt'),
    maxAge: one('max_age'),
    idTokenHint: one('id_token_hint'),
    loginHint: one('login_hint'),
    dpopJkt: one('dpop_jkt'),
    resources: params.get('resource') ?? [],
  }
}

/** The parameters as a query string, to carry a pending request through the sign-in page. */
export function serializeParams(params: AuthorizationParams): string {
  const out = new URLSearchParams()
  for (const [name, values] of params) for (const value of values) out.append(name, value)
  return out.toString()
}
