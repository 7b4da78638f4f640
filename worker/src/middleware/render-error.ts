import type { ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../context'
import { OAuthError, ProblemError, problems } from '../errors'
import { StorageUnavailableError } from '../storage/unavailable'

/** Paths whose errors are RFC 9457 problem details; every other path speaks RFC 6749 JSON. */
const PROBLEM_PATHS = /^\/(api|ops)(\/|$)/

/**
 * The single error renderer (STYLE.md "one error type, one renderer"). Known errors render
 * themselves; anything else is logged with its cause and answered as a generic 500 that says
 * nothing about the internals.
 */
export const renderError: ErrorHandler<AppEnv> = (error, c) => {
  // c.newResponse keeps the headers middleware already prepared (request id, CORS).
  const send = (response: Response) => c.newResponse(response.body, response)
  const requestId = c.get('requestId')
  if (error instanceof ProblemError) return send(error.getResponse(requestId))
  if (error instanceof OAuthError) {
    if (error.status >= 500) c.get('log')?.error('oauth.error', { error })
    return send(error.getResponse())
  }
  const problemPath = PROBLEM_PATHS.test(c.req.path)
  if (error instanceof StorageUnavailableError) {
    // RFC 6749 §4.1.2.1/§5.2 temporarily_unavailable; Retry-After per RFC 9110 §10.2.3.
    c.get('log')?.warn('storage.unavailable', { error, path: c.req.path })
    const headers = { 'Retry-After': String(error.retryAfterSeconds) }
    const detail = 'The service is temporarily unavailable, try again shortly'
    return send(
      problemPath
        ? new ProblemError(503, 'temporarily-unavailable', 'Temporarily unavailable', detail, {
            headers,
          }).getResponse(requestId)
        : new OAuthError('temporarily_unavailable', detail, { headers }).getResponse(),
    )
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Raised by Hono itself (for example a malformed body); keep its status, not its message.
    return send(
      problemPath
        ? new ProblemError(error.status, 'bad-request', 'Bad request').getResponse(requestId)
        : new OAuthError('invalid_request', undefined, { status: error.status }).getResponse(),
    )
  }
  c.get('log')?.error('request.failed', { error, path: c.req.path, method: c.req.method })
  return send(
    problemPath
      ? problems.internal().getResponse(requestId)
      : new OAuthError('server_error').getResponse(),
  )
}

export const renderNotFound: NotFoundHandler<AppEnv> = (c) => {
  const response = problems.notFound(`No resource at ${c.req.path}`).getResponse(c.get('requestId'))
  return c.newResponse(response.body, response)
}
