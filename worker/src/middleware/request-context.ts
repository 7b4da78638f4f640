import type { MiddlewareHandler } from 'hono'
import type { AppEnv, Services } from '../context'
import type { Deps } from '../deps'
import { Db, nowSeconds } from '../storage/db'

/**
 * Gives each request its `Deps` (config, a logger tagged with the request id, a
 * round-trip-counting D1 handle, the KV and rate-limiter bindings, the clock). Outside
 * production, answers with `Server-Timing: d1;desc="N round trips"` so tests and developers see
 * what a request cost in D1 (production hides it: it could tell apart code paths, for example a
 * known and an unknown account).
 */
export function requestContext(services: Services): MiddlewareHandler<AppEnv> {
  const exposeTiming = services.config.environment !== 'production'
  return async (c, next) => {
    const db = new Db(c.env.DB)
    const log = services.log.child({ requestId: c.get('requestId') })
    const deps: Deps = {
      config: services.config,
      db,
      cache: c.env.CACHE,
      keyring: services.keyring,
      clientCache: services.clientCache,
      sealed: services.sealed,
      limiters: {
        clientAuthFailures: c.env.CLIENT_AUTH_FAILURES,
        apiRequests: c.env.API_REQUESTS,
        authorizeRequests: c.env.AUTHORIZE_REQUESTS,
      },
      log,
      requestId: c.get('requestId'),
      now: nowSeconds,
      decoyPasswordHash: services.decoyPasswordHash,
    }
    c.set('deps', deps)
    c.set('services', services)
    c.set('config', services.config)
    c.set('db', db)
    c.set('log', log)
    await next()
    // On the finished response's headers: c.header() here would copy the whole Response.
    if (exposeTiming) c.res.headers.set('Server-Timing', `d1;desc="${db.roundTrips} round trips"`)
  }
}
