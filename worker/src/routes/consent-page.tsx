import type { Context } from 'hono'
import type { ConsentPage as ConsentPageData } from '../steps/authorize/consent-page'
import { ConsentPage } from '../views/consent'
import { sendPage } from '../views/send-page'
import { giveCsrfToken } from './browser-cookies'

/**
 * The consent page, with the headers of the sign-in page (its own CSP with
 * `frame-ancestors 'none'`, `no-store`; checklist A12, A14). Its answer ends in a redirect to
 * the verified redirect URI, which `form-action` must allow.
 */
export function sendConsentPage(c: Context, page: ConsentPageData): Response | Promise<Response> {
  return sendPage(
    c,
    <ConsentPage
      clientName={page.clientName}
      host={page.host}
      redirectHost={page.redirectHost}
      scopes={page.scopes}
      resources={page.resources}
      interaction={page.interaction}
      csrf={giveCsrfToken(c)}
    />,
    { formTargets: [new URL(page.redirectUri).origin] },
  )
}
