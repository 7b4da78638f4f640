import type { AppContext } from '../../context'

/** Every value of every parameter, so repeated parameters can be refused (RFC 6749 §3.1). */
export type AuthorizationParams = ReadonlyMap<string, readonly string[]>

/**
 * Reads an authorization request from the query (GET) or a form body (POST, OIDC Core §3.1.2.1,
 * checklist A07). Empty values count as absent (RFC 6749 §3.1).
 */
export async function readAuthorizationParams(c: AppContext): Promise<AuthorizationParams> {
  let source: URLSearchParams
  if (c.req.method === 'POST') {
    const type = c.req.header('Content-Type')?.split(';')[0]?.trim().toLowerCase()
    source = new URLSearchParams(
      type === 'application/x-www-form-urlencoded' ? await c.req.text() : '',
    )
  } else {
    source = new URL(c.req.url).searchParams
  }
  return toParams(source)
}

export function toParams(source: URLSearchParams): AuthorizationParams {
  const params = new Map<string, string[]>()
  for (const [name, value] of source) {
    if (value === '') continue
    params.set(name, [...(params.get(name) ?? []), value])
  }
  return params
}

/** The one value of a parameter, undefined when absent; `repeated` when sent more than once. */
export function single(
  params: AuthorizationParams,
  name: string,
): string | undefined | typeof REPEATED {
  const values = params.get(name)
  if (values === undefined) return undefined
  return values.length === 1 ? values[0] : REPEATED
}

export const REPEATED = Symbol('repeated')

/** The parameters as a query string, to carry a pending request through the sign-in page. */
export function serializeParams(params: AuthorizationParams): string {
  const out = new URLSearchParams()
  for (const [name, values] of params) for (const value of values) out.append(name, value)
  return out.toString()
}
