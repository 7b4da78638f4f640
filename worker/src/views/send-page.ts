import type { Context } from 'hono'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { pageCsp } from './layout'

export interface PageOptions {
  status?: ContentfulStatusCode
  /** Origins a form on the page may end up at (its submission's redirect), beside this one. */
  formTargets?: readonly string[]
  /** The page loads the same-origin passkeys script (and may fetch from this origin). */
  script?: boolean
}

/**
 * Sends a rendered page with the headers every page of this server carries: its own
 * Content-Security-Policy (no script, same-origin stylesheet, `frame-ancestors 'none'`,
 * checklist A12, A14) and `Cache-Control: no-store` (pages carry one-time tokens, RFC 9111
 * §5.2.2.5). X-Frame-Options and Referrer-Policy come from the security-headers middleware.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5 RFC 9111 §5.2.2.5}
 */
export function sendPage(
  c: Context,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
  options: PageOptions = {},
): Response | Promise<Response> {
  c.header('Content-Security-Policy', pageCsp(options.formTargets, options.script))
  c.header('Cache-Control', 'no-store')
  return c.html(body, options.status ?? 200)
}
