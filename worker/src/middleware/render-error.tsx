import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../context'
import { OAuthError, type PageText, ProblemError, problems } from '../errors'
import { StorageUnavailableError } from '../storage/unavailable'
import { sendAuthorizationResponse } from '../views/authorization-response'
import { ErrorPage } from '../views/error-page'
import { sendPage } from '../views/send-page'

/** Paths whose errors are RFC 9457 problem details. */
const PROBLEM_PATHS = /^\/(api|ops)(\/|$)/
/** Paths a person's browser navigates to: their errors are a redirect to the client or a page. */
const BROWSER_PATHS = /^\/(authorize|signin|account|end_session)(\/|$)/

/**
 * The single error renderer (docs/architecture.md "Error model"). Known errors render
 * themselves: problem details on /api and /ops, RFC 6749 JSON on the back-channel endpoints, and
 * on the browser endpoints {@link renderBrowserError}. Anything else is logged with its cause and
 * answered as a generic 500 that says nothing about the internals.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9457 RFC 9457}
 */
export const renderError: ErrorHandler<AppEnv> = (error, c) => {
  // c.newResponse keeps the headers middleware already prepared (request id, CORS).
  const send = (response: Response) => c.newResponse(response.body, response)
  const requestId = c.get('requestId')
  if (error instanceof ProblemError) return send(error.getResponse(requestId))
  const browser = BROWSER_PATHS.test(c.req.path)
  if (error instanceof OAuthError) {
    if (error.status >= 500) c.get('log')?.error('oauth.error', { error })
    return browser ? renderBrowserError(c, error) : send(error.getResponse())
  }
  const problemPath = PROBLEM_PATHS.test(c.req.path)
  if (error instanceof StorageUnavailableError) {
    // D1 did not answer (in time): nothing was half-written, the request may be sent again.
    c.get('log')?.warn('storage.unavailable', { error })
    const headers = { 'Retry-After': String(error.retryAfterSeconds) }
    if (problemPath) {
      return send(
        new ProblemError(503, 'temporarily-unavailable', 'Temporarily unavailable', undefined, {
          headers,
        }).getResponse(requestId),
      )
    }
    const unavailable = new OAuthError(
      'temporarily_unavailable',
      'The service is temporarily unavailable, try again shortly',
      { headers, cause: error },
    )
    return browser ? renderBrowserError(c, unavailable) : send(unavailable.getResponse())
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Raised by Hono itself (for example a malformed body); keep its status, not its message.
    const invalid = new OAuthError('invalid_request', undefined, { status: error.status })
    if (browser) return renderBrowserError(c, invalid)
    return send(
      problemPath
        ? new ProblemError(error.status, 'bad-request', 'Bad request').getResponse(requestId)
        : invalid.getResponse(),
    )
  }
  c.get('log')?.error('request.failed', { error, path: c.req.path, method: c.req.method })
  if (browser) return renderBrowserError(c, new OAuthError('server_error'))
  return send(
    problemPath
      ? problems.internal().getResponse(requestId)
      : new OAuthError('server_error').getResponse(),
  )
}

/**
 * The one answer to an error on a browser endpoint (node-oidc-provider's
 * `authorization_error_handler`): a redirect to the client, in the request's response mode with
 * `error`, `error_description`, `state` and `iss`, when the authorization pipeline recorded a
 * verified redirect URI on the error and the error may be redirected; otherwise the accessible
 * error page, never a redirect to an unverified URI (checklist A01, A02, A03, H01, H11).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthError OIDC Core §3.1.2.6}
 */
export function renderBrowserError(
  c: Context<AppEnv>,
  error: OAuthError,
): Response | Promise<Response> {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
  const target = error.redirectTo
  if (error.allowRedirect && target !== undefined) {
    return sendAuthorizationResponse(c, c.get('config').issuer, target, error.toParams())
  }
  const page = error.page ?? defaultPage(error)
  return sendPage(
    c,
    <ErrorPage
      title={page.title}
      detail={page.detail}
      advice={page.advice}
      requestId={c.get('requestId')}
    />,
    { status: error.status },
  )
}

function defaultPage(error: OAuthError): PageText {
  return error.status >= 500
    ? { title: 'Something went wrong', detail: 'The server could not complete the request.' }
    : { title: 'Request refused', detail: error.description ?? 'The request is not valid.' }
}

export const renderNotFound: NotFoundHandler<AppEnv> = (c) => {
  const response = problems.notFound(`No resource at ${c.req.path}`).getResponse(c.get('requestId'))
  return c.newResponse(response.body, response)
}
