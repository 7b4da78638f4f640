import { h } from '../dom'

/** "59 min 12 s", "12 s", or "expired". */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired'
  const seconds = Math.floor(ms / 1000)
  const minutes = Math.floor(seconds / 60)
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`
}

/**
 * The access token's expiry as a `<time>` plus a countdown that updates every second until
 * `signal` aborts. Not a live region: a screen reader would hear it every second.
 */
export function expiryCountdown(expiresAt: number, signal: AbortSignal): HTMLElement {
  const remaining = h('span', { id: 'token-countdown' })
  const update = () => {
    remaining.textContent = `(${formatRemaining(expiresAt - Date.now())} left)`
  }
  update()
  const timer = setInterval(update, 1000)
  signal.addEventListener('abort', () => clearInterval(timer), { once: true })
  return h(
    'span',
    null,
    h(
      'time',
      { id: 'token-expiry', datetime: new Date(expiresAt).toISOString() },
      new Date(expiresAt).toLocaleTimeString(),
    ),
    ' ',
    remaining,
  )
}
