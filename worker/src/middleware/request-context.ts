import type { MiddlewareHandler } from 'hono'
import type { AppEnv, Services } from '../context'
import { Db } from '../storage/db'

/**
 * Gives each request its config, a logger tagged with the request id, and a round-trip-counting
 * D1 handle. Outside production, answers with `Server-Timing: d1;desc="N round trips"` so tests
 * and developers see what a request cost in D1 (production hides it: it could tell apart code
 * paths, for example a known and an unknown account).
 */
export function requestContext(services: Services): MiddlewareHandler<AppEnv> {
  const exposeTiming = services.config.environment !== 'production'
  return async (c, next) => {
    const db = new Db(c.env.DB)
    c.set('services', services)
    c.set('config', services.config)
    c.set('db', db)
    c.set('log', services.log.child({ requestId: c.get('requestId') }))
    await next()
    // On the finished response's headers: c.header() here would copy the whole Response.
    if (exposeTiming) c.res.headers.set('Server-Timing', `d1;desc="${db.roundTrips} round trips"`)
  }
}
