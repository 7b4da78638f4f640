import { useEffect, useState } from 'hono/jsx/dom'

/** "59 min 12 s", "12 s", or "expired". */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired'
  const seconds = Math.floor(ms / 1000)
  const minutes = Math.floor(seconds / 60)
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`
}

/**
 * The access token's expiry as a `<time>` plus a countdown that updates every second while it
 * is shown and its view is. Not a live region: a screen reader would hear it every second.
 */
export function ExpiryCountdown(props: { expiresAt: number; signal: AbortSignal }) {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    // A replaced view's components are not unmounted: its signal stops the timer.
    props.signal.addEventListener('abort', () => clearInterval(timer), { once: true })
    return () => clearInterval(timer)
  }, [props.expiresAt])
  return (
    <span>
      <time id="token-expiry" datetime={new Date(props.expiresAt).toISOString()}>
        {new Date(props.expiresAt).toLocaleTimeString()}
      </time>{' '}
      <span id="token-countdown">({formatRemaining(props.expiresAt - now)} left)</span>
    </span>
  )
}
