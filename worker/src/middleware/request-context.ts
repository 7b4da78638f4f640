import type { MiddlewareHandler } from 'hono'
import type { AppEnv, Services } from '../context'
import type { Deps } from '../deps'
import { Db, nowSeconds } from '../storage/db'
import {
  CONSISTENCY_BOOKMARK_HEADER,
  readBookmark,
  readLatencyModel,
} from '../storage/read-replication'

/**
 * Gives each request its `Deps` (config, a logger tagged with the request id, two
 * round-trip-counting D1 handles, the KV and rate-limiter bindings, the clock). The handles:
 * `db`, D1's primary, and `replica`, a D1 session that a read replica near the request may serve,
 * anchored at the `Consistency-Bookmark` the request carried (read-your-writes), else at any
 * replica. Outside production, answers with `Server-Timing: d1;desc="N round trips",
 * d1-replica;desc="M round trips"` (N counts both) so tests and developers see what a request
 * cost in D1 (production hides it: it could tell apart code paths, for example a known and an
 * unknown account). Outside production the `D1_LATENCY_MODEL` binding delays each round trip
 * (the topology bench).
 */
export function requestContext(services: Services): MiddlewareHandler<AppEnv> {
  const exposeTiming = services.config.environment !== 'production'
  return async (c, next) => {
    const latency = readLatencyModel(c.env.D1_LATENCY_MODEL, services.config.environment)
    const db = new Db(c.env.DB, { simulatedLatencyMs: latency?.primary })
    // Made on first use: most requests never read a replica (token, discovery, JWKS).
    let replica: Db | undefined
    const log = services.log.child({ requestId: c.get('requestId') })
    const deps: Deps = {
      config: services.config,
      db,
      get replica() {
        replica ??= new Db(c.env.DB, {
          role: 'replica',
          bookmark: readBookmark(c.req.header(CONSISTENCY_BOOKMARK_HEADER)),
          simulatedLatencyMs: latency?.replica,
        })
        return replica
      },
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
    if (exposeTiming) {
      const replicaRoundTrips = replica?.roundTrips ?? 0
      c.res.headers.set(
        'Server-Timing',
        `d1;desc="${db.roundTrips + replicaRoundTrips} round trips", ` +
          `d1-replica;desc="${replicaRoundTrips} round trips"`,
      )
    }
  }
}
