import type { AuthClientErrorCode } from './errors.js'
import type { TokenSet } from './types.js'

/**
 * How long a tab keeps the renewal lock after broadcasting its result. BroadcastChannel (HTML
 * §9.6) and Web Locks are independent channels with no ordering guarantee between them, so a
 * waiting tab could be granted the lock before the result reaches it and renew a second time.
 * Holding the lock briefly lets the message arrive first; the caller is not delayed by it.
 *
 * @example
 * await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS) // in a test: the next waiter gets the lock
 */
export const LOCK_HANDOFF_MS = 100

/**
 * Messages between the tabs (and instances) of one client, sent on a BroadcastChannel named
 * after the client: they reach every other instance with that name, in other tabs of the origin
 * and in this one, never the sender (HTML §9.6).
 *
 * @example
 * const message: TabMessage = { type: 'signedOut' }
 */
export type TabMessage =
  | { type: 'tokens'; tokens: TokenSet; interactive: boolean; durationMs: number; by: string }
  | { type: 'failed'; code: AuthClientErrorCode; message: string; error?: string | undefined }
  | { type: 'signedOut' }

/**
 * Resolves after `ms` milliseconds; rejects at once, without a timer left, when `signal` aborts.
 *
 * @example
 * await sleep(1000, signal)
 */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((done, fail) => {
    const timer = setTimeout(done, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        fail(signal.reason)
      },
      { once: true },
    )
  })

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts (the promise
 * itself goes on: another caller may share it).
 *
 * @example
 * const tokens = await abortable(renewal, options.signal)
 */
export const abortable = <T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal?.reason)
    if (signal?.aborted) abort()
    signal?.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject)
  })

/**
 * Runs `task` while holding the exclusive Web Lock `name`, so one tab at a time renews (Web Locks
 * API §2). Resolves as soon as `task` settles; the lock itself is kept {@link LOCK_HANDOFF_MS}
 * longer. A waiting request is withdrawn when `signal` aborts. Without Web Locks, runs `task`
 * directly.
 *
 * @example
 * const tokens = await withTabLock('edge-identity:renew:my-spa', signal, () => renewSilently())
 */
export function withTabLock<T>(
  name: string,
  signal: AbortSignal,
  task: () => Promise<T>,
): Promise<T> {
  const locks = navigator.locks
  if (!locks) return task()
  return new Promise<T>((resolve, reject) => {
    locks
      .request(name, { signal }, () =>
        task()
          .then(resolve, reject)
          .then(() => sleep(LOCK_HANDOFF_MS, signal)),
      )
      .catch(reject)
  })
}
