import type { Context } from 'hono'
import type { RedirectTarget } from '../domain/redirect-uri'
import { FormPost } from './form-post'
import { sendWebMessage } from './web-message'

/**
 * Sends an authorization response, success or error, to a verified redirect URI, with `state`
 * and `iss` always (RFC 9207 §2, checklist I03): in the query, in the fragment (Multiple Response
 * Type Encoding §2.1), as an auto-submitted form (Form Post Response Mode), or posted by a page to
 * its opener or parent at the redirect URI's origin (Web Message Response Mode,
 * views/web-message.tsx). Redirects are 303,
 * so a sign-in POST is never replayed to the client (RFC 9700 §4.12, A13), and carry no body
 * (H11).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9207#section-2 RFC 9207 §2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 RFC 6749 §4.1.2}
 * @see {@link https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 *   Multiple Response Type Encoding §2.1}
 * @see {@link https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
 *   Form Post Response Mode}
 * @see {@link https://datatracker.ietf.org/doc/html/draft-sakimura-oauth-wmrm-00
 *   Web Message Response Mode}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.12 RFC 9700 §4.12}
 */
export function sendAuthorizationResponse(
  c: Context,
  issuer: string,
  target: RedirectTarget,
  params: Record<string, string>,
): Response | Promise<Response> {
  const all = {
    ...params,
    ...(target.state !== undefined && { state: target.state }),
    iss: issuer,
  }
  if (target.responseMode === 'web_message') return sendWebMessage(c, target.redirectUri, all)
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
