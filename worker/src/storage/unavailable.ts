/**
 * Storage that does not answer, or answers that it cannot serve now: a D1 round trip that
 * failed for a reason outside the request (network, overload, a reset of the database object)
 * or took longer than its deadline. The renderer answers it as `503 temporarily_unavailable`
 * with `Retry-After`; the request may be sent again as it was.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 RFC 9110 §10.2.3 (Retry-After)}
 */
export class StorageUnavailableError extends Error {
  /** How long a client should wait before sending the request again. */
  readonly retryAfterSeconds: number

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause })
    this.name = 'StorageUnavailableError'
    this.retryAfterSeconds = options.retryAfterSeconds ?? RETRY_AFTER_SECONDS
  }
}

/** What `Retry-After` says after a storage failure: long enough for a reset D1 object to return. */
export const RETRY_AFTER_SECONDS = 5

/**
 * D1's messages for failures that are not the request's fault and pass when retried (Cloudflare's
 * D1 error list: "Network connection lost", "D1 DB is overloaded", "... caused object to be
 * reset", "Cannot resolve D1 DB due to transient issue", "D1 DB reset because its code was
 * updated", internal errors). SQL errors and constraint violations are not among them: those are
 * bugs or conflicts and stay as they are.
 */
const TRANSIENT_D1_FAILURE =
  /network connection lost|overloaded|object to be reset|was reset|transient issue|reset because its code was updated|internal error|timed? ?out|connection (?:refused|reset|closed)|unavailable/i

/** SQLite's own errors (syntax, constraints, missing tables): never "unavailable". */
const SQL_FAILURE =
  /SQLITE_|constraint failed|no such (?:table|column)|syntax error|D1_TYPE_ERROR|D1_COLUMN_NOTFOUND/i

/** True when a D1 failure means the database cannot answer now (retry later), not a bug. */
export function isTransientD1Failure(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const message = `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`
  return !SQL_FAILURE.test(message) && TRANSIENT_D1_FAILURE.test(message)
}

/** `work`'s outcome, or a rejection with `timeoutError()` once `ms` have passed without one. */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<T> {
  let expire: (reason: Error) => void = () => {}
  const deadline = new Promise<never>((_, reject) => {
    expire = reject
  })
  const timer = setTimeout(() => expire(timeoutError()), ms)
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}
