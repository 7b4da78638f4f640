import type { AppContext } from '../../context'
import type { OAuthError } from '../../errors'
import { FormPost } from '../../views/form-post'
import type { ResponseMode } from './check-response-type'

export interface ResponseTarget {
  redirectUri: string
  responseMode: ResponseMode
  state: string | undefined
}

/**
 * Sends an authorization response to the verified redirect URI, with `state` and `iss` always
 * (RFC 9207 §2, checklist I03): in the query, in the fragment (Multiple Response Type Encoding
 * §2.1), or as an auto-submitted form (Form Post Response Mode). Redirects are 303, so a
 * sign-in POST is never replayed to the client (RFC 9700 §4.12, A13), and carry no body (H11).
 */
export function respond(
  c: AppContext,
  target: ResponseTarget,
  params: Record<string, string>,
): Response | Promise<Response> {
  const all = {
    ...params,
    ...(target.state !== undefined && { state: target.state }),
    iss: c.get('config').issuer,
  }
  c.header('Cache-Control', 'no-store')
  if (target.responseMode === 'form_post') {
    const origin = new URL(target.redirectUri).origin
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'self'; style-src 'self'; form-action ${origin}; frame-ancestors 'none'; base-uri 'none'`,
    )
    return c.html(<FormPost action={target.redirectUri} params={all} />)
  }
  const url = new URL(target.redirectUri)
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(all).toString()
  } else {
    for (const [name, value] of Object.entries(all)) url.searchParams.append(name, value)
  }
  return c.redirect(url.href, 303)
}

/** The error response of RFC 6749 §4.1.2.1 / OIDC Core §3.1.2.6, sent like any response. */
export function respondWithError(
  c: AppContext,
  target: ResponseTarget,
  error: OAuthError,
): Response | Promise<Response> {
  return respond(c, target, {
    error: error.code,
    ...(error.description !== undefined && { error_description: error.description }),
  })
}
