import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { RedirectTarget } from './domain/redirect-uri'

/**
 * The error codes this server sends, exactly as registered.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2}
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#AuthError OIDC Core §3.1.2.6}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 RFC 6750 §3.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1 RFC 7009 §2.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9449#section-12.2 RFC 9449 §12.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc8707#section-2 RFC 8707 §2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 RFC 7591 §3.2.2}
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'account_selection_required'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_token_type'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'invalid_target'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'

const DEFAULT_STATUS: Partial<Record<OAuthErrorCode, ContentfulStatusCode>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
}

/** RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
const WIRE_SAFE = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/

/**
 * What a person reads when an error is shown as a page (views/error-page.tsx): what happened and
 * what to do, in plain words, never internals.
 */
export interface PageText {
  title: string
  detail: string
  /** What to do next; without it the page says to go back to the application and try again. */
  advice?: string
}

export interface OAuthErrorOptions {
  status?: ContentfulStatusCode
  headers?: Record<string, string>
  /** Internal detail for logs only (which check failed, ids); never sent, never a secret. */
  cause?: unknown
  /**
   * False for an error about the client or its redirect URI itself: it is shown as a page and
   * never sent to that URI (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2). Default true.
   */
  allowRedirect?: boolean
  /** The page's words when the error is shown to a person; see {@link PageText}. */
  page?: PageText
}

/**
 * The one error type of the OAuth endpoints and the browser pages. Steps throw it; `app.onError`
 * (middleware/render-error.tsx) renders it: JSON for back-channel endpoints; for the browser
 * endpoints (/authorize, /signin, /account, /end_session) a redirect to the client when
 * {@link OAuthError.redirectTo} was recorded and {@link OAuthError.allowRedirect} holds, else the
 * error page (node-oidc-provider's `allow_redirect` rule).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2}
 */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode
  readonly description: string | undefined
  readonly status: ContentfulStatusCode
  readonly headers: Record<string, string>
  readonly allowRedirect: boolean
  readonly page: PageText | undefined
  #redirectTo: RedirectTarget | undefined

  constructor(code: OAuthErrorCode, description?: string, options: OAuthErrorOptions = {}) {
    super(description ?? code, { cause: options.cause })
    if (description !== undefined && !WIRE_SAFE.test(description)) {
      throw new TypeError(`error_description for ${code} has characters outside RFC 6749 §5.2`)
    }
    this.name = 'OAuthError'
    this.code = code
    this.description = description
    this.status = options.status ?? DEFAULT_STATUS[code] ?? 400
    this.headers = options.headers ?? {}
    this.allowRedirect = options.allowRedirect ?? true
    this.page = options.page
  }

  /**
   * The verified redirect URI (with response mode and state) this error may be sent to, recorded
   * by the authorization pipeline once the client and its redirect URI are verified; undefined
   * before that, and for every other endpoint.
   */
  get redirectTo(): RedirectTarget | undefined {
    return this.#redirectTo
  }

  /** Records where the error may go (the first record wins); answers the error, to rethrow. */
  sendTo(target: RedirectTarget): this {
    this.#redirectTo ??= target
    return this
  }

  /** The authorization error response's parameters (RFC 6749 §4.1.2.1), before state and iss. */
  toParams(): Record<string, string> {
    return { ...this.toJSON() }
  }

  toJSON(): { error: OAuthErrorCode; error_description?: string } {
    return this.description === undefined
      ? { error: this.code }
      : { error: this.code, error_description: this.description }
  }

  /** RFC 6749 §5.2 error response: JSON, never cached (§5.1). */
  getResponse(): Response {
    return new Response(JSON.stringify(this.toJSON()), {
      status: this.status,
      headers: {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        ...this.headers,
      },
    })
  }
}

/**
 * One invalid field of a request body, as a JSON Pointer into it (RFC 9457 §3 example).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9457#section-3 RFC 9457 §3}
 */
export interface FieldError {
  pointer: string
  detail: string
}

const PROBLEM_TYPE_BASE = 'urn:edge-identity:problem:'

/**
 * Errors of the management API, rendered as RFC 9457 problem details.
 * `type` is a stable URN per kind of problem; `title` is the same for every instance of a type.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9457 RFC 9457}
 */
export class ProblemError extends Error {
  readonly status: ContentfulStatusCode
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  readonly errors: readonly FieldError[] | undefined
  readonly headers: Record<string, string>

  constructor(
    status: ContentfulStatusCode,
    kind: string,
    title: string,
    detail?: string,
    extra: {
      errors?: readonly FieldError[]
      headers?: Record<string, string>
      cause?: unknown
    } = {},
  ) {
    super(detail ?? title, { cause: extra.cause })
    this.name = 'ProblemError'
    this.status = status
    this.type = `${PROBLEM_TYPE_BASE}${kind}`
    this.title = title
    this.detail = detail
    this.errors = extra.errors
    this.headers = extra.headers ?? {}
  }

  getResponse(requestId?: string): Response {
    const body = {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(this.errors !== undefined && { errors: this.errors }),
      ...(requestId !== undefined && { requestId }),
    }
    return new Response(JSON.stringify(body), {
      status: this.status,
      headers: {
        'Content-Type': 'application/problem+json',
        'Cache-Control': 'no-store',
        ...this.headers,
      },
    })
  }
}

/** The problems the management API can answer, so titles and types stay consistent. */
export const problems = {
  validation: (errors: readonly FieldError[]) =>
    new ProblemError(400, 'validation', 'The request is not valid', undefined, { errors }),
  badRequest: (detail: string) => new ProblemError(400, 'bad-request', 'Bad request', detail),
  unauthorized: (detail: string, error = 'invalid_token') =>
    new ProblemError(401, 'unauthorized', 'Authentication required', detail, {
      headers: {
        'WWW-Authenticate': `Bearer realm="api", error="${error}", error_description="${detail}"`,
      },
    }),
  forbidden: (detail: string) => new ProblemError(403, 'forbidden', 'Forbidden', detail),
  notFound: (detail: string) => new ProblemError(404, 'not-found', 'Not found', detail),
  conflict: (detail: string) => new ProblemError(409, 'conflict', 'Conflict', detail),
  limitExceeded: (detail: string) =>
    new ProblemError(409, 'limit-exceeded', 'A limit would be exceeded', detail),
  methodNotAllowed: (allow: string) =>
    new ProblemError(405, 'method-not-allowed', 'Method not allowed', undefined, {
      headers: { Allow: allow },
    }),
  internal: () => new ProblemError(500, 'internal', 'Internal server error'),
}
