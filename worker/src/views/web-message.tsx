import type { Context } from 'hono'
import type { FC } from 'hono/jsx'
import { randomToken } from '../crypto/random'
import { PAGES_CSS_PATH } from './layout'

/** What the page posts: `type` names the message, `response` holds string parameters only. */
export interface WebMessage {
  type: 'authorization_response'
  response: Record<string, string>
}

/**
 * A value as a JavaScript literal that is safe inside an HTML `<script>` element: JSON, with `<`,
 * `>`, `&` and the two line separators escaped, so no value (a `state` of `</script>`) can close
 * the element or change the script (checklist A15).
 */
export function scriptLiteral(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/**
 * The page's one script: posts the response to the window that opened the page (a popup) or
 * framed it (a hidden iframe), at `targetOrigin` only, so no other origin can receive it; with
 * neither, it says so on the page.
 */
function postScript(message: WebMessage, targetOrigin: string): string {
  return [
    '(function () {',
    '  var target = window.opener || (window.parent !== window ? window.parent : null)',
    `  if (target) target.postMessage(${scriptLiteral(message)}, ${scriptLiteral(targetOrigin)})`,
    "  else document.getElementById('web-message-status').hidden = false",
    '})()',
  ].join('\n')
}

const WebMessagePage: FC<{ script: string; nonce: string }> = ({ script, nonce }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>Returning to the application</title>
      <link rel="stylesheet" href={PAGES_CSS_PATH} />
    </head>
    <body>
      <main>
        <h1>Returning to the application</h1>
        <p id="web-message-status" role="status" hidden>
          This window could not reach the application that opened it. Close it and sign in again
          from the application.
        </p>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: script }} />
      </main>
    </body>
  </html>
)

/**
 * OAuth 2.0 Web Message Response Mode: a `200 text/html` page whose inline script posts
 * `{ type: 'authorization_response', response }` to its opener or parent at the origin of the
 * verified redirect URI, the only origin the response may reach. Its Content-Security-Policy
 * runs only that script (a fresh nonce) and lets only that origin frame the page
 * (`frame-ancestors`, checklist A12), so silent renewal in the client's hidden iframe works and
 * no other site can frame it. Never cached (RFC 9111 §5.2.2.5); no Referer (A14).
 * @see {@link https://datatracker.ietf.org/doc/html/draft-sakimura-oauth-wmrm-00
 *   Web Message Response Mode}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.16 RFC 9700 §4.16}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5 RFC 9111 §5.2.2.5}
 */
export function sendWebMessage(
  c: Context,
  redirectUri: string,
  response: Record<string, string>,
): Response | Promise<Response> {
  const origin = new URL(redirectUri).origin
  const nonce = randomToken(16)
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; form-action 'none'; frame-ancestors ${origin}; base-uri 'none'`,
  )
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  const script = postScript({ type: 'authorization_response', response }, origin)
  return c.html(<WebMessagePage script={script} nonce={nonce} />, 200)
}
