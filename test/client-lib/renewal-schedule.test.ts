import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRenewalSchedule } from '../../client-lib/src/renewal-schedule.js'
import type { TokenSet } from '../../client-lib/src/types.js'

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0)

function tokens(lifetimeSeconds: number): TokenSet {
  return {
    accessToken: 'at',
    idToken: 'id',
    renewedAt: Date.now(),
    expiresAt: Date.now() + lifetimeSeconds * 1000,
    claims: { sub: 'user-1' },
  }
}

let schedule: ReturnType<typeof createRenewalSchedule> | undefined
beforeEach(() => {
  vi.useFakeTimers({ now: NOW })
})
afterEach(() => {
  schedule?.dispose()
  vi.useRealTimers()
})

describe('createRenewalSchedule()', () => {
  it('renews renewLead before the access token expires, not earlier (frozen clock)', async () => {
    const current = tokens(3600)
    const renew = vi.fn()
    schedule = createRenewalSchedule(() => current, 60_000, renew)
    await vi.advanceTimersByTimeAsync(3540_000 - 1)
    expect(renew).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(renew).toHaveBeenCalledTimes(1)
  })

  it('never renews in the first half of the lifetime, so a lead longer than the lifetime cannot loop', async () => {
    const current = tokens(60)
    const renew = vi.fn()
    schedule = createRenewalSchedule(() => current, 120_000, renew)
    expect(schedule.isDue(current)).toBe(false)
    await vi.advanceTimersByTimeAsync(29_999)
    expect(renew).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(renew).toHaveBeenCalledTimes(1)
  })

  it('re-checks on visibilitychange, focus and online, after timers were frozen by sleep', async () => {
    const current = tokens(3600)
    const renew = vi.fn()
    schedule = createRenewalSchedule(() => current, 60_000, renew)
    schedule.pause() // a suspended laptop: the timer does not fire
    vi.setSystemTime(NOW + 3590_000)
    schedule.schedule(3600_000) // timer far away: only page events can notice
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
    window.dispatchEvent(new Event('focus'))
    window.dispatchEvent(new Event('online'))
    expect(renew).toHaveBeenCalledTimes(3)
  })

  it('attempts nothing while the browser is offline', () => {
    const current = tokens(3600)
    const renew = vi.fn()
    schedule = createRenewalSchedule(() => current, 60_000, renew)
    vi.setSystemTime(NOW + 3590_000)
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    window.dispatchEvent(new Event('focus'))
    expect(renew).not.toHaveBeenCalled()
  })

  it('stays quiet while paused and when there are no tokens', async () => {
    let current: TokenSet | undefined = tokens(120)
    const renew = vi.fn()
    schedule = createRenewalSchedule(() => current, 60_000, renew)
    schedule.pause()
    await vi.advanceTimersByTimeAsync(120_000)
    window.dispatchEvent(new Event('focus'))
    current = undefined
    schedule.schedule()
    window.dispatchEvent(new Event('focus'))
    expect(renew).not.toHaveBeenCalled()
  })

  it('clamps long delays to the largest setTimeout delay instead of firing at once (HTML §8.6)', async () => {
    const current = tokens(60 * 86_400)
    const renew = vi.fn()
    schedule = createRenewalSchedule(() => current, 60_000, renew)
    await vi.advanceTimersByTimeAsync(1000)
    expect(renew).not.toHaveBeenCalled()
  })

  it('removes its listeners and timer on dispose()', async () => {
    const current = tokens(3600)
    const renew = vi.fn()
    schedule = createRenewalSchedule(() => current, 60_000, renew)
    schedule.dispose()
    vi.setSystemTime(NOW + 3590_000)
    window.dispatchEvent(new Event('focus'))
    schedule.schedule()
    await vi.advanceTimersByTimeAsync(3600_000)
    expect(renew).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })
})
