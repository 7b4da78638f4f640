import { env } from 'cloudflare:workers'
import { createServices } from '../../../worker/src/app'
import type { Deps } from '../../../worker/src/deps'
import { testConfig, testDb } from './worker'

/**
 * `Deps` for a step test: the test configuration, the real D1 and KV bindings, fresh
 * isolate-lived services, the real clock; override what the test needs (a frozen `now`).
 */
export function testDeps(overrides: Partial<Deps> = {}): Deps {
  const config = testConfig()
  const services = createServices(config)
  return {
    config,
    db: testDb(),
    cache: env.CACHE,
    keyring: services.keyring,
    clientCache: services.clientCache,
    sealed: services.sealed,
    limiters: {
      clientAuthFailures: env.CLIENT_AUTH_FAILURES,
      signInFailures: env.SIGN_IN_FAILURES,
    },
    log: services.log,
    requestId: crypto.randomUUID(),
    now: () => Math.floor(Date.now() / 1000),
    decoyPasswordHash: services.decoyPasswordHash,
    ...overrides,
  }
}
