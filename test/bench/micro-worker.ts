/**
 * Micro-benchmarks of the token request's parts, run inside workerd: `GET /run?case=NAME&n=N`
 * runs one case N times in a row and answers when done. micro.mjs reads the process's CPU time
 * around each call (workerd's clocks stand still while JavaScript runs, so timing from inside
 * is impossible) and divides by N. No HTTP, socket or entry worker per iteration: what remains
 * is the case's own cost, to the microsecond, with the real D1 binding and the real code.
 *
 * It imports the worker's modules directly: when they are renamed this file needs the same
 * change, but `npm run bench` does not depend on it.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { requestId } from 'hono/request-id'
import { createApp, createServices } from '../../worker/src/app'
import type { Config } from '../../worker/src/config'
import { readConfig } from '../../worker/src/config'
import type { AppEnv, Services } from '../../worker/src/context'
import { signJwt } from '../../worker/src/crypto/jwt'
import { parseBasicAuthorization } from '../../worker/src/domain/basic-auth'
import type { Env } from '../../worker/src/env'
import { requestContext } from '../../worker/src/middleware/request-context'
import { securityHeaders } from '../../worker/src/middleware/security-headers'
import { findClientCredentials } from '../../worker/src/storage/client-authentication'
import { Db } from '../../worker/src/storage/db'
import floor, { findClient as findFloorClient } from './floor-worker'

interface MicroEnv extends Env {
  BENCH_CLIENT_ID: string
  BENCH_AUTHORIZATION: string
}

type Case = (ctx: ExecutionContext) => Promise<unknown> | unknown

const TOKEN_BODY = 'grant_type=client_credentials&scope=api'

function tokenRequest(env: MicroEnv): Request {
  return new Request('http://localhost/token', {
    method: 'POST',
    headers: {
      Authorization: env.BENCH_AUTHORIZATION,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: TOKEN_BODY,
  })
}

const discoveryRequest = () => new Request('http://localhost/.well-known/openid-configuration')

/** A Hono app with the given middleware in front of a route that answers like the token route. */
function withMiddleware(...middleware: MiddlewareHandler<AppEnv>[]) {
  const app = new Hono<AppEnv>()
  for (const handler of middleware) app.use(handler)
  app.post('/token', (c) => c.json({ access_token: 'x', token_type: 'Bearer' }, 200))
  return app
}

interface Fetcher<E> {
  fetch(request: Request, env: E, ctx: ExecutionContext): Response | Promise<Response>
}

async function fetchAndRead<E>(app: Fetcher<E>, env: E, request: Request, ctx: ExecutionContext) {
  const response = await app.fetch(request, env, ctx)
  if (response.status !== 200) throw new Error(`status ${response.status}`)
  await response.arrayBuffer()
}

function defineCases(env: MicroEnv): Record<string, Case> {
  const config: Config = readConfig(env)
  const services: Services = createServices(config)
  const app = createApp(config, services)
  const appCache = createApp(readConfig({ ...env, CLIENT_CACHE_TTL_SECONDS: '30' }))
  // The floor reads only DB, ISSUER and CACHE_CLIENT.
  const floorEnv = { DB: env.DB, ISSUER: config.issuer }
  const floorCacheEnv = { ...floorEnv, CACHE_CLIENT: '1' }
  const db = new Db(env.DB)
  const sql = 'SELECT c.* FROM clients c WHERE c.id = ?1'
  const https = config.issuer.startsWith('https:')
  const bare = withMiddleware()
  const withRequestId = withMiddleware(requestId())
  const withSecurityHeaders = withMiddleware(securityHeaders(https))
  const withContext = withMiddleware(requestContext(services))
  const withAll = withMiddleware(requestId(), securityHeaders(https), requestContext(services))
  // requestContext sets Server-Timing after next(): c.header() on a finished response makes Hono
  // copy the Response; setting the header on c.res directly does not.
  const headerAfter = withMiddleware(async (c, next) => {
    await next()
    c.header('Server-Timing', 'd1;desc="1 round trips"')
  })
  const resHeaderAfter = withMiddleware(async (c, next) => {
    await next()
    c.res.headers.set('Server-Timing', 'd1;desc="1 round trips"')
  })
  const claims = { iss: config.issuer, sub: env.BENCH_CLIENT_ID, scope: 'api', roles: ['a', 'b'] }
  return {
    // Whole requests through app.fetch, as the runtime would call them.
    'app ours': (ctx) => fetchAndRead(app, env, tokenRequest(env), ctx),
    'app ours-cache': (ctx) => fetchAndRead(appCache, env, tokenRequest(env), ctx),
    'app floor': (ctx) => fetchAndRead(floor, floorEnv, tokenRequest(env), ctx),
    'app floor-cache': (ctx) => fetchAndRead(floor, floorCacheEnv, tokenRequest(env), ctx),
    'app ours discovery': (ctx) => fetchAndRead(app, env, discoveryRequest(), ctx),
    'app floor discovery': (ctx) => fetchAndRead(floor, floorEnv, discoveryRequest(), ctx),
    // Middleware, each alone in front of a trivial route, against the route alone.
    'hono route alone': (ctx) => fetchAndRead(bare, env, tokenRequest(env), ctx),
    'hono + requestId': (ctx) => fetchAndRead(withRequestId, env, tokenRequest(env), ctx),
    'hono + securityHeaders': (ctx) =>
      fetchAndRead(withSecurityHeaders, env, tokenRequest(env), ctx),
    'hono + requestContext': (ctx) => fetchAndRead(withContext, env, tokenRequest(env), ctx),
    'hono + all three': (ctx) => fetchAndRead(withAll, env, tokenRequest(env), ctx),
    'hono + c.header() after next()': (ctx) =>
      fetchAndRead(headerAfter, env, tokenRequest(env), ctx),
    'hono + c.res.headers.set() after next()': (ctx) =>
      fetchAndRead(resHeaderAfter, env, tokenRequest(env), ctx),
    // D1: the client query as ours runs it, as the floor runs it, and the ways to send one query.
    'd1 findClientCredentials (ours)': () => findClientCredentials(db, env.BENCH_CLIENT_ID),
    'd1 findClient (floor query)': () => findFloorClient(env.DB, env.BENCH_CLIENT_ID),
    'd1 simple query, first()': () => env.DB.prepare(sql).bind(env.BENCH_CLIENT_ID).first(),
    'd1 simple query, batch([1])': () =>
      env.DB.batch([env.DB.prepare(sql).bind(env.BENCH_CLIENT_ID)]),
    // Steps without I/O.
    parseBasicAuthorization: () => parseBasicAuthorization(env.BENCH_AUTHORIZATION),
    'log.child': () => services.log.child({ requestId: 'x' }),
    'signJwt ES256 (key cached)': async () =>
      signJwt(await services.keyring.signingKey(db, env.CACHE, 'ES256'), 'at+jwt', claims),
    'new Request + new Response': () => new Response(tokenRequest(env).body),
    // How a form body is read: workerd warns about text() on a non-text Content-Type.
    'body text()': () => tokenRequest(env).text(),
    'body arrayBuffer() + decode': async () =>
      new TextDecoder().decode(await tokenRequest(env).arrayBuffer()),
    'body formData()': () => tokenRequest(env).formData(),
  }
}

let cases: Record<string, Case> | undefined

export default {
  async fetch(request: Request, env: MicroEnv, ctx: ExecutionContext): Promise<Response> {
    cases ??= defineCases(env)
    const url = new URL(request.url)
    if (url.pathname === '/cases') return Response.json(Object.keys(cases))
    const run = cases[url.searchParams.get('case') ?? '']
    if (run === undefined) return new Response('unknown case', { status: 404 })
    const n = Number(url.searchParams.get('n') ?? '1')
    for (let i = 0; i < n; i++) await run(ctx)
    return Response.json({ n })
  },
} satisfies ExportedHandler<MicroEnv>
