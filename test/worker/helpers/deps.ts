import { env } from 'cloudflare:workers'
import { createServices } from '../../../worker/src/app'
import type { Deps } from '../../../worker/src/deps'
import { Db } from '../../../worker/src/storage/db'
import { testConfig } from './worker'

/**
 * The `Deps` a step gets, built as `requestContext` builds them, over the test bindings (real D1,
 * KV and limiters), with the clock and anything else replaced by `overrides`.
 */
export function testDeps(overrides: Partial<Deps> = {}): Deps {
  const services = createServices(testConfig())
  return {
    config: services.config,
    db: new Db(env.DB),
    replica: new Db(env.DB, { role: 'replica' }),
    cache: env.CACHE,
    keyring: services.keyring,
    clientCache: services.clientCache,
    sealed: services.sealed,
    limiters: {
      clientAuthFailures: env.CLIENT_AUTH_FAILURES,
      apiRequests: env.API_REQUESTS,
      authorizeRequests: env.AUTHORIZE_REQUESTS,
    },
    log: services.log,
    requestId: crypto.randomUUID(),
    now: () => Math.floor(Date.now() / 1000),
    decoyPasswordHash: services.decoyPasswordHash,
    ...overrides,
  }
}
