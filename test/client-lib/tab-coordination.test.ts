import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LOCK_HANDOFF_MS, withTabLock } from '../../client-lib/src/tab-coordination.js'
import {
  createClient,
  disposeClients,
  driveFrames,
  idle,
  installBroadcastChannel,
  installLocks,
  signIn,
  until,
  useFakeClock,
} from './helpers/browser.js'
import { createFakeProvider, type FakeProvider } from './helpers/fake-provider.js'

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0)

let provider: FakeProvider
let frames: ReturnType<typeof driveFrames>
beforeEach(async () => {
  provider = await createFakeProvider()
  frames = driveFrames(provider)
})
afterEach(() => {
  disposeClients()
  vi.useRealTimers()
})

/** N "tabs": instances sharing Web Locks and BroadcastChannel, as tabs of one origin do. */
async function openTabs(count: number) {
  installLocks()
  installBroadcastChannel()
  const tabs = Array.from({ length: count }, () => createClient(provider))
  await signIn(tabs[0] as (typeof tabs)[number], provider)
  await until(() => tabs.every((tab) => tab.user?.sub === 'user-1'))
  return tabs
}

describe('renewal across tabs (Web Locks + BroadcastChannel)', () => {
  it('shares a sign-in with the other open tabs (signedIn in each)', async () => {
    installLocks()
    installBroadcastChannel()
    const [first, second] = [createClient(provider), createClient(provider)]
    const seen = vi.fn()
    second?.on('signedIn', seen)
    await signIn(first as NonNullable<typeof first>, provider)
    await until(() => seen.mock.calls.length === 1)
    expect(second?.user?.email).toBe('ada@example.com')
    expect(await second?.getAccessToken()).toBe(await first?.getAccessToken())
  })

  it('makes N tabs that need a renewal at once cause one network renewal, not N', async () => {
    useFakeClock(NOW)
    const tabs = await openTabs(3)
    const renewed = tabs.map((tab) => {
      const listener = vi.fn()
      tab.on('renewed', listener)
      return listener
    })
    vi.setSystemTime(NOW + 3600_000) // every tab's token has expired (a laptop wakes up)
    const results = Promise.all(tabs.map((tab) => tab.getAccessToken()))
    // The lock holder renews and broadcasts; the others adopt the result while they wait.
    await until(() => renewed.every((fn) => fn.mock.calls.length === 1))
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS)
    const tokens = await results
    expect(new Set(tokens).size).toBe(1)
    expect(frames.frames).toHaveLength(1)
    expect(provider.requestsTo('/token')).toHaveLength(2) // the sign-in and one renewal
    const details = renewed.map((fn) => fn.mock.calls[0]?.[0])
    expect(details.filter((d) => d.network)).toHaveLength(1)
    const worker = details.find((d) => d.network)
    expect(details.every((d) => d.by === worker.by && d.durationMs === worker.durationMs)).toBe(
      true,
    )
  })

  it('makes scheduled renewals in N tabs cause one network renewal', async () => {
    useFakeClock(NOW)
    provider.accessTokenLifetime = 600
    const tabs = await openTabs(3)
    await vi.advanceTimersByTimeAsync(540_000)
    await until(() => tabs.every((tab) => (tab.expiresAt ?? 0) > NOW + 600_000))
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS)
    await idle()
    expect(frames.frames).toHaveLength(1)
    expect(new Set(tabs.map((tab) => tab.expiresAt)).size).toBe(1)
  })

  it('makes "Renew now" pressed in N tabs at once cause one network renewal', async () => {
    useFakeClock(NOW)
    const tabs = await openTabs(3)
    const renewed = vi.fn()
    for (const tab of tabs) tab.on('renewed', renewed)
    const all = Promise.all(tabs.map((tab) => tab.renew()))
    await until(() => renewed.mock.calls.length === 3)
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS)
    await all
    expect(frames.frames).toHaveLength(1)
    expect(new Set(tabs.map((tab) => tab.expiresAt)).size).toBe(1)
  })

  it('shares a failure too: tabs that waited get the same error without renewing again', async () => {
    useFakeClock(NOW)
    const tabs = await openTabs(3)
    provider.session = null
    vi.setSystemTime(NOW + 3600_000)
    const failed = vi.fn()
    for (const tab of tabs) tab.on('renewalFailed', failed)
    const outcomes = Promise.all(
      tabs.map((tab) => tab.getAccessToken().catch((err: unknown) => err)),
    )
    await until(() => failed.mock.calls.length === 1) // the holder failed and broadcast it
    await idle()
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS)
    const errors = await outcomes
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'interaction_required',
      'interaction_required',
      'interaction_required',
    ])
    expect(frames.frames).toHaveLength(1)
  })

  it('makes two instances in one tab (framework strict mode) behave like two tabs: one renewal', async () => {
    useFakeClock(NOW)
    const [first, second] = await openTabs(2)
    const renewed = vi.fn()
    second?.on('renewed', renewed)
    first?.on('renewed', renewed)
    vi.setSystemTime(NOW + 3600_000)
    const both = Promise.all([first?.getAccessToken(), second?.getAccessToken()])
    await until(() => renewed.mock.calls.length === 2)
    await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS)
    const [a, b] = await both
    expect(a).toBe(b)
    expect(frames.frames).toHaveLength(1)
  })

  it("ignores another tab's silent renewal for a different user (OIDC Core §2)", async () => {
    installBroadcastChannel()
    const mine = createClient(provider)
    await signIn(mine, provider)
    // A tab opened later restores its session silently, but the server's session is now another
    // user's (someone signed in elsewhere): it takes that user; this tab must not follow.
    const fresh = createClient(provider)
    provider.session = { sub: 'user-2', email: 'eve@example.com' }
    const events = vi.fn()
    mine.on('renewed', events)
    mine.on('signedIn', events)
    await fresh.getAccessToken()
    expect(fresh.user?.sub).toBe('user-2')
    await idle()
    expect(mine.user?.sub).toBe('user-1')
    expect(events).not.toHaveBeenCalled()
  })

  it("takes another tab's interactive sign-in, even as another user", async () => {
    installBroadcastChannel()
    const [mine, other] = [createClient(provider), createClient(provider)]
    await signIn(mine as NonNullable<typeof mine>, provider)
    await until(() => other?.user?.sub === 'user-1')
    provider.session = { sub: 'user-2', email: 'eve@example.com' }
    await signIn(other as NonNullable<typeof other>, provider)
    await until(() => mine?.user?.sub === 'user-2')
  })

  it('ignores tokens a tab renewed before this tab signed out (no resurrected session)', async () => {
    installBroadcastChannel()
    const client = createClient(provider)
    await signIn(client, provider)
    const stale = { tokens: { accessToken: 'at-stale', renewedAt: Date.now() - 1 } }
    vi.spyOn(location, 'assign').mockImplementation(() => {})
    await client.signOut()
    const otherTab = new BroadcastChannel(`edge-identity:demo-spa@${provider.issuer}`)
    otherTab.postMessage({
      type: 'tokens',
      tokens: {
        ...stale.tokens,
        idToken: 'x',
        expiresAt: Date.now() + 3600_000,
        claims: { sub: 'user-1' },
      },
      interactive: false,
      durationMs: 5,
      by: 'other-tab',
    })
    await idle()
    otherTab.close()
    expect(client.user).toBeUndefined()
  })

  it('signs out every tab: the others drop their tokens and emit signedOut', async () => {
    const tabs = await openTabs(3)
    const signedOut = tabs.map((tab) => {
      const listener = vi.fn()
      tab.on('signedOut', listener)
      return listener
    })
    vi.spyOn(location, 'assign').mockImplementation(() => {})
    await tabs[2]?.signOut()
    await until(() => signedOut.every((fn) => fn.mock.calls.length === 1))
    expect(tabs.map((tab) => tab.user)).toEqual([undefined, undefined, undefined])
    expect(tabs.map((tab) => tab.expiresAt)).toEqual([undefined, undefined, undefined])
  })
})

describe('withTabLock()', () => {
  it('runs tasks one at a time and resolves each as soon as it settles', async () => {
    useFakeClock(NOW)
    const locks = installLocks()
    const order: string[] = []
    const first = withTabLock('l', new AbortController().signal, async () => {
      order.push('first')
      return 1
    })
    const second = withTabLock('l', new AbortController().signal, async () => {
      order.push('second')
      return 2
    })
    expect(await first).toBe(1)
    expect(order).toEqual(['first'])
    await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS)
    expect(await second).toBe(2)
    expect(locks.grants).toBe(2)
  })

  it('keeps the lock for the hand-off delay after the task, so its broadcast arrives first', async () => {
    useFakeClock(NOW)
    installLocks()
    await withTabLock('l', new AbortController().signal, async () => 'done')
    const next = vi.fn(async () => {})
    void withTabLock('l', new AbortController().signal, next)
    await vi.advanceTimersByTimeAsync(LOCK_HANDOFF_MS - 1)
    expect(next).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(next).toHaveBeenCalledTimes(1)
  })

  it('passes a failure through and still releases the lock', async () => {
    installLocks()
    await expect(
      withTabLock('l', new AbortController().signal, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom')
    await expect(withTabLock('l', new AbortController().signal, async () => 'next')).resolves.toBe(
      'next',
    )
  })

  it('runs the task directly where Web Locks are not available', async () => {
    expect(navigator.locks).toBeFalsy()
    await expect(withTabLock('l', new AbortController().signal, async () => 'alone')).resolves.toBe(
      'alone',
    )
  })
})
