import type { TokenSet } from './types.js'

/** setTimeout fires at once for delays above 2^31 - 1 ms (HTML §8.6 timers). */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Page events that mean "time may have passed unseen": timers are throttled in background tabs
 * and frozen while a laptop sleeps. `visibilitychange` is fired at the document and bubbles to
 * the window (HTML §6.2 "update the visibility state").
 */
const WAKE_EVENTS = ['visibilitychange', 'focus', 'online']

/**
 * Decides when to renew and wakes up to do it.
 *
 * Due time: `renewLeadMs` before expiry, but never in the first half of the token's lifetime, so
 * a lead longer than the lifetime cannot turn into a renewal loop. Besides the timer, every
 * {@link WAKE_EVENTS} event re-checks; nothing is attempted while the browser is offline (the
 * `online` event will come).
 *
 * @example
 * const schedule = createRenewalSchedule(() => store.get(), 60_000, () => renew())
 * schedule.pause() // after a failure that needs the user
 */
export function createRenewalSchedule(
  getTokens: () => TokenSet | undefined,
  renewLeadMs: number,
  renewDue: () => void,
) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let paused = false
  let stopped = false
  const dueAt = (t: TokenSet) =>
    t.expiresAt - Math.min(renewLeadMs, (t.expiresAt - t.renewedAt) / 2)
  const check = () => {
    const tokens = getTokens()
    if (tokens && !paused && navigator.onLine !== false) {
      if (Date.now() >= dueAt(tokens)) renewDue()
      else schedule.schedule()
    }
  }
  const schedule = {
    isDue: (t: TokenSet) => Date.now() >= dueAt(t),
    /** Re-arms the timer for the current tokens, or for `delayMs` (a retry), and un-pauses. */
    schedule(delayMs?: number): void {
      const tokens = getTokens()
      schedule.pause()
      paused = false
      if (tokens && !stopped)
        timer = setTimeout(check, Math.min(delayMs ?? dueAt(tokens) - Date.now(), MAX_TIMER_MS))
    },
    /** Stops re-checking until the next `schedule()` (a renewal that needs the user). */
    pause(): void {
      paused = true
      clearTimeout(timer)
    },
    dispose(): void {
      stopped = true
      schedule.pause()
      for (const type of WAKE_EVENTS) globalThis.removeEventListener?.(type, check)
    },
  }
  // Absent without a window (server-side rendering): nothing to listen to there.
  for (const type of WAKE_EVENTS) globalThis.addEventListener?.(type, check)
  schedule.schedule()
  return schedule
}
