import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

/** Options of a CORS policy open to every origin, without credentials. */
export interface OpenCorsOptions {
  allowMethods: string[]
  allowHeaders?: string[]
  exposeHeaders?: string[]
  maxAge: number
}

/**
 * CORS for public resources and bearer-token APIs: any origin, no credentials (a cookie never
 * rides along). Answers exactly as Hono's `cors({ origin: '*', ... })`, but sets the headers of an
 * actual request on the finished response instead of before the handler: Hono's version touches
 * `c.res` first, which builds a throwaway Response and makes Hono copy the handler's Response and
 * every header into a new one (issue 14: about a third of discovery's fixed cost, see
 * docs/performance.md "Per-request overhead"). Preflights (OPTIONS) still go through Hono's
 * middleware unchanged.
 * @see {@link https://fetch.spec.whatwg.org/#http-cors-protocol Fetch §3.2 CORS protocol}
 */
export function openCors(options: OpenCorsOptions): MiddlewareHandler {
  const preflight = cors({ ...options, origin: '*' })
  const expose = options.exposeHeaders?.length ? options.exposeHeaders.join(',') : undefined
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    await next()
    const headers = c.res.headers
    headers.set('Access-Control-Allow-Origin', '*')
    if (expose !== undefined) headers.set('Access-Control-Expose-Headers', expose)
  }
}
