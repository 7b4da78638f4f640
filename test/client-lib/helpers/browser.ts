import { vi } from 'vitest'
import {
  type AuthClient,
  type AuthClientOptions,
  createAuthClient,
} from '../../../client-lib/src/index.js'
import {
  APP_ORIGIN,
  CLIENT_ID,
  type FakeProvider,
  POST_LOGOUT_REDIRECT_URI,
  REDIRECT_URI,
  SILENT_REDIRECT_URI,
} from './fake-provider.js'

/** What the silent callback page would post for a frame, or how the frame misbehaves. */
export type FrameBehaviour =
  | 'answer' // the page posts its URL (the authorization response) to the parent
  | 'silent' // nothing ever happens (a server that hangs)
  | 'loads-without-answer' // a page loads but never posts (X-Frame-Options, UI shown)

/**
 * Plays the browser's part for hidden iframes: document.body.append() is intercepted (happy-dom
 * would try to load the page), the authorization request in the frame's src is answered by the
 * fake provider, and the silent callback page's postMessage is dispatched on window from the
 * frame's own window, at the app origin.
 */
export function driveFrames(provider: FakeProvider) {
  const driver = {
    behaviour: 'answer' as FrameBehaviour,
    frames: [] as HTMLIFrameElement[],
    removed: [] as HTMLIFrameElement[],
    /** Transforms the posted URL before it is sent (tests of forged or stale answers). */
    rewrite: (url: string): string => url,
    /** What the frame posts for the response URL: by default the silent callback page's. */
    post: (url: string): { data: unknown; origin: string } => ({ data: url, origin: APP_ORIGIN }),
  }
  vi.spyOn(document.body, 'append').mockImplementation((...nodes) => {
    for (const node of nodes) {
      const frame = node as HTMLIFrameElement
      const frameWindow = { name: 'silent-frame' } as unknown as Window
      Object.defineProperty(frame, 'contentWindow', { value: frameWindow, configurable: true })
      vi.spyOn(frame, 'remove').mockImplementation(() => {
        driver.removed.push(frame)
      })
      driver.frames.push(frame)
      const behaviour = driver.behaviour
      if (behaviour === 'silent') continue
      if (behaviour === 'loads-without-answer') {
        // A page the app can read: its own origin (or about:blank), not the provider's.
        Object.assign(frameWindow, { location: { href: 'about:blank' } })
      }
      queueMicrotask(() => {
        if (behaviour === 'loads-without-answer') {
          frame.onload?.(new Event('load'))
          return
        }
        const { data, origin } = driver.post(driver.rewrite(provider.authorize(frame.src)))
        window.dispatchEvent(new MessageEvent('message', { data, origin, source: frameWindow }))
        frame.onload?.(new Event('load'))
      })
    }
  })
  return driver
}

/**
 * What a provider's response_mode=web_message page posts for a response URL (see
 * briefs/web-message-contract.md): `{ type: 'authorization_response', response }` from the
 * provider's origin.
 */
export function webMessagePost(provider: FakeProvider) {
  return (url: string) => ({
    data: {
      type: 'authorization_response',
      response: Object.fromEntries(new URL(url).searchParams),
    },
    origin: new URL(provider.issuer).origin,
  })
}

/**
 * A Web Locks stand-in: exclusive, FIFO per name (Web Locks API §2.2); a request whose signal
 * aborts before it is granted is withdrawn with the signal's reason.
 */
export function installLocks() {
  const tails = new Map<string, Promise<unknown>>()
  const locks = {
    grants: 0,
    request(
      name: string,
      options: { signal?: AbortSignal },
      callback: (lock: { name: string }) => Promise<unknown>,
    ) {
      const previous = tails.get(name) ?? Promise.resolve()
      let isGranted = false
      const granted = previous.then(() => {
        options.signal?.throwIfAborted()
        isGranted = true
        locks.grants++
        return callback({ name })
      })
      const withdrawn = new Promise<never>((_, reject) => {
        options.signal?.addEventListener('abort', () => {
          if (!isGranted) reject(options.signal?.reason)
        })
      })
      const run = Promise.race([granted, withdrawn])
      // The next request waits for this one's task (or its withdrawal once it is its turn).
      tails.set(
        name,
        granted.catch(() => {}),
      )
      return run
    },
  }
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true })
  return locks
}

/**
 * A BroadcastChannel stand-in with the platform's semantics (HTML §9.6): a message reaches every
 * other open channel of the same name, asynchronously and as a structured clone, never the sender.
 */
export function installBroadcastChannel() {
  const open = new Set<FakeBroadcastChannel>()
  class FakeBroadcastChannel extends EventTarget {
    constructor(readonly name: string) {
      super()
      open.add(this)
    }
    postMessage(data: unknown): void {
      for (const other of open) {
        if (other === this || other.name !== this.name) continue
        const copy = structuredClone(data)
        // A task on the receiver's event loop; setImmediate stays real under useFakeClock().
        setImmediate(() => {
          if (open.has(other)) other.dispatchEvent(new MessageEvent('message', { data: copy }))
        })
      }
    }
    close(): void {
      open.delete(this)
    }
  }
  vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel)
  return open
}

/** location.assign() captured instead of navigating. */
export function captureNavigation() {
  return vi.spyOn(location, 'assign').mockImplementation(() => {})
}

const clients: AuthClient[] = []

/** A client for the fake provider, disposed after the test by disposeClients(). */
export function createClient(provider: FakeProvider, options: Partial<AuthClientOptions> = {}) {
  const client = createAuthClient({
    issuer: provider.issuer,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    silentRedirectUri: SILENT_REDIRECT_URI,
    postLogoutRedirectUri: POST_LOGOUT_REDIRECT_URI,
    fetch: provider.fetch,
    ...options,
  })
  clients.push(client)
  return client
}

export function disposeClients(): void {
  for (const client of clients.splice(0)) client.dispose()
  Reflect.deleteProperty(navigator, 'locks')
  sessionStorage.clear()
  localStorage.clear()
  history.replaceState(null, '', '/app?tab=1')
}

/**
 * Marks this browser as one that had a session (the library's hint after an interactive sign-in),
 * for tests of a returning visitor whose tokens are not in memory.
 */
export function markSession(provider: FakeProvider): void {
  localStorage.setItem(`edge-identity:${CLIENT_ID}@${provider.issuer}:session`, 'in')
}

/** Signs in through the redirect flow: signIn(), the server's answer, handleRedirectCallback(). */
export async function signIn(client: AuthClient, provider: FakeProvider) {
  const navigate = captureNavigation()
  await client.signIn()
  const authorizeUrl = navigate.mock.calls.at(-1)?.[0] as string | URL
  navigate.mockRestore()
  const callbackUrl = provider.authorize(String(authorizeUrl))
  history.replaceState(null, '', callbackUrl)
  return client.handleRedirectCallback()
}

/**
 * Fakes the clock and setTimeout only. WebCrypto, structured clone and the like still run on the
 * real event loop, so tests wait for them with until() / idle(), which use the real setImmediate.
 */
export function useFakeClock(now: number): void {
  vi.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'Date'] })
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

/** Waits (in real time, at most 10 s) until `condition` holds. */
export async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 10_000
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met: ${condition}`)
    await tick()
  }
}

/** Lets pending real work (crypto, promise chains) finish: about 30 ms of real time. */
export async function idle(): Promise<void> {
  const end = performance.now() + 30
  while (performance.now() < end) await tick()
}
