import { Hono, type MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import { describe, expect, it } from 'vitest'
import { openCors } from '../../../worker/src/middleware/open-cors'
import { fetchWorker } from '../helpers/worker'

const OPTIONS = {
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['Authorization', 'DPoP'],
  exposeHeaders: ['WWW-Authenticate', 'DPoP-Nonce'],
  maxAge: 600,
}

/** An app behind the given CORS middleware: a JSON answer, a raised error, a page's own header. */
function appBehind(middleware: MiddlewareHandler) {
  const app = new Hono()
  app.use(middleware)
  app.get('/ok', (c) => c.json({ ok: true }, 200, { 'Cache-Control': 'no-store' }))
  app.get('/fails', () => {
    throw new Error('boom')
  })
  app.onError((_error, c) => c.json({ error: 'server_error' }, 500))
  return app
}

const headersOf = (response: Response) => [...response.headers.entries()].sort()

describe('open CORS (any origin, no credentials)', () => {
  const requests: [string, RequestInit][] = [
    ['/ok', { headers: { Origin: 'https://app.example' } }],
    ['/ok', {}],
    ['/fails', { headers: { Origin: 'https://app.example' } }],
    [
      '/ok',
      {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://app.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization',
        },
      },
    ],
  ]
  it.each(requests)(
    'answers %s %o with the same status, body and headers as Hono cors',
    async (path, init) => {
      const ours = await appBehind(openCors(OPTIONS)).request(path, init)
      const hono = await appBehind(cors({ ...OPTIONS, origin: '*' })).request(path, init)
      expect(ours.status).toBe(hono.status)
      expect(headersOf(ours)).toEqual(headersOf(hono))
      expect(await ours.text()).toBe(await hono.text())
    },
  )

  it('lets any origin read discovery and the JWKS (OIDC Discovery §4)', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
      const response = await fetchWorker(path, { headers: { Origin: 'https://app.example' } })
      expect(response.status).toBe(200)
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
      expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull()
    }
  })
})
