import type { Handler } from 'hono'
import type { AppEnv } from '../context'
import { OAuthError } from '../errors'

/**
 * The last handler of a browser page route: a method it does not serve is a 405 with `Allow`,
 * shown as the error page like every other error of the browser endpoints, never a redirect.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6 RFC 9110 §15.5.6}
 */
export function methodNotAllowed(allow: string): Handler<AppEnv> {
  return () => {
    throw new OAuthError('invalid_request', `Use ${allow}`, {
      status: 405,
      headers: { Allow: allow },
      allowRedirect: false,
      page: {
        title: 'This page cannot be used that way',
        detail: `The request used a method this page does not accept (it accepts ${allow}).`,
      },
    })
  }
}
