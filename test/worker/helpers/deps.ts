import { env } from 'cloudflare:workers'
import { createServices } from '../../../worker/src/app'
import type { Deps } from '../../../worker/src/deps'
import { Db } from '../../../worker/src/storage/db'
import { testConfig } from './worker'

/**
 * `Deps` for calling a step directly: the test bindings (real D1 with the migrations applied,
 * KV, rate limiters), fresh isolate services, and the real clock unless `now` is overridden.
 */
export function testDeps(overrides: Partial<Deps> = {}): Deps {
  const config = testConfig()
  const services = createServices(config)
  return {
    config,
    db: new Db(env.DB),
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
