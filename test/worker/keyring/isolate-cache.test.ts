import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IsolateCache } from '../../../worker/src/keyring/isolate-cache'

/** A promise held open until `release()`: a load kept in flight. */
function gate(): { opened: Promise<void>; release: () => void } {
  let release = () => {}
  const opened = new Promise<void>((resolve) => {
    release = resolve
  })
  return { opened, release }
}

/** A load function that answers `value-N` on its Nth call, after `until` resolves if given. */
function loader(until?: Promise<void>) {
  let calls = 0
  const load = vi.fn(async () => {
    calls++
    const n = calls
    await until
    return `value-${n}`
  })
  return load
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(1_000_000)
})

afterEach(() => {
  vi.useRealTimers()
})

describe('a value kept per isolate (keys), never a promise shared between requests', () => {
  it('loads once and serves the value until it expires, then loads again', async () => {
    const cache = new IsolateCache<string>(60_000)
    const load = loader()
    expect(await cache.get(load)).toBe('value-1')
    vi.setSystemTime(1_000_000 + 59_999)
    expect(await cache.get(load)).toBe('value-1')
    vi.setSystemTime(1_000_000 + 60_000)
    expect(await cache.get(load)).toBe('value-2')
    expect(load).toHaveBeenCalledTimes(2)
  })

  it('lets two requests that find no value each load their own, so neither waits on the other', async () => {
    const cache = new IsolateCache<string>(60_000)
    const { opened, release } = gate()
    const load = loader(opened)
    const first = cache.get(load)
    const second = cache.get(load)
    expect(load).toHaveBeenCalledTimes(2)
    release()
    expect(await Promise.all([first, second])).toEqual(['value-1', 'value-2'])
  })

  it('serves the stale value to other requests while one request refreshes it', async () => {
    const cache = new IsolateCache<string>(60_000)
    await cache.get(loader())
    vi.setSystemTime(1_000_000 + 61_000)
    const { opened, release } = gate()
    const slow = loader(opened)
    const refreshing = cache.get(slow)
    const other = vi.fn(async () => 'never')
    expect(await cache.get(other)).toBe('value-1')
    expect(other).not.toHaveBeenCalled()
    release()
    expect(await refreshing).toBe('value-1')
    expect(await cache.get(other)).toBe('value-1')
    expect(slow).toHaveBeenCalledTimes(1)
  })

  it('keeps serving the stale value when a refresh fails, and refreshes again after 5 s', async () => {
    const cache = new IsolateCache<string>(60_000)
    await cache.get(loader())
    vi.setSystemTime(1_000_000 + 61_000)
    await expect(cache.get(() => Promise.reject(new Error('D1 down')))).rejects.toThrow('D1 down')
    const next = loader()
    expect(await cache.get(next)).toBe('value-1')
    expect(next).not.toHaveBeenCalled()
    vi.setSystemTime(1_000_000 + 66_000)
    expect(await cache.get(next)).toBe('value-1')
    expect(next).toHaveBeenCalledTimes(1)
  })

  it('stops serving a stale value one lifetime after it expired, even while a refresh is claimed', async () => {
    const cache = new IsolateCache<string>(60_000)
    await cache.get(loader())
    vi.setSystemTime(1_000_000 + 119_000)
    const hanging = cache.get(() => new Promise<string>(() => {}))
    expect(await cache.get(vi.fn(async () => 'unused'))).toBe('value-1')
    vi.setSystemTime(1_000_000 + 120_001)
    const own = loader()
    expect(await cache.get(own)).toBe('value-1')
    expect(own).toHaveBeenCalledTimes(1)
    void hanging
  })

  it('loads in the asking request when told the value must be fresh (an unknown key id)', async () => {
    const cache = new IsolateCache<string>(60_000)
    await cache.get(loader())
    vi.setSystemTime(1_000_000 + 1_000)
    const fresh = loader()
    expect(await cache.get(fresh, { fresh: true })).toBe('value-1')
    expect(fresh).toHaveBeenCalledTimes(1)
  })

  it('loads fresh at most once a second, so tokens naming random key ids cannot each cost a read', async () => {
    const cache = new IsolateCache<string>(60_000)
    await cache.get(loader())
    vi.setSystemTime(1_000_000 + 999)
    const fresh = vi.fn(async () => 'reloaded')
    expect(await cache.get(fresh, { fresh: true })).toBe('value-1')
    expect(fresh).not.toHaveBeenCalled()
  })

  it('counts the lifetime of a value from when its load started: what it read is that old', async () => {
    const cache = new IsolateCache<string>(60_000)
    await cache.get(async () => {
      vi.setSystemTime(1_000_000 + 10_000)
      return 'read-at-start'
    })
    vi.setSystemTime(1_000_000 + 60_000)
    expect(await cache.get(async () => 'reloaded')).toBe('reloaded')
  })

  it('does not keep a load that was running when clear() was called (a rotation in this isolate)', async () => {
    const cache = new IsolateCache<string>(60_000)
    const { opened, release } = gate()
    const inFlight = cache.get(async () => {
      await opened
      return 'before the rotation'
    })
    cache.clear()
    expect(await cache.get(async () => 'after the rotation')).toBe('after the rotation')
    release()
    await inFlight
    expect(await cache.get(async () => 'reloaded')).toBe('after the rotation')
  })

  it('never replaces a value with one whose load started earlier', async () => {
    const cache = new IsolateCache<string>(60_000)
    const { opened, release } = gate()
    const older = cache.get(async () => {
      await opened
      return 'older read'
    })
    vi.setSystemTime(1_000_000 + 10)
    expect(await cache.get(async () => 'newer read')).toBe('newer read')
    release()
    await older
    expect(await cache.get(async () => 'reloaded')).toBe('newer read')
  })

  it('forgets the value on clear()', async () => {
    const cache = new IsolateCache<string>(60_000)
    await cache.get(loader())
    cache.clear()
    const again = loader()
    await cache.get(again)
    expect(again).toHaveBeenCalledTimes(1)
  })
})
