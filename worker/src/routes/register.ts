import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { readBearer } from '../domain/bearer'
import { mediaType } from '../domain/media-type'
import { OAuthError } from '../errors'
import { openCors } from '../middleware/open-cors'
import { deleteRegistration, readRegistration } from '../steps/registration/manage-registration'
import { registerClient } from '../steps/registration/register-client'
import { clientIp } from './client-ip'
import { methodNotAllowed } from './method-not-allowed'

/** Registration responses carry credentials: never cached (RFC 7591 §3.2.1, RFC 7592 §3). */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

/** The largest registration request read (the metadata of one client fits in a few KB). */
const MAX_BODY_BYTES = 16 * 1024

async function readJsonBody(request: Request): Promise<unknown> {
  if (mediaType(request.headers.get('Content-Type')) !== 'application/json') {
    throw new OAuthError('invalid_client_metadata', 'The request body must be application/json')
  }
  const text = await request.text()
  if (text.length > MAX_BODY_BYTES) {
    throw new OAuthError('invalid_client_metadata', 'The request body is too large')
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new OAuthError('invalid_client_metadata', 'The request body is not valid JSON')
  }
}

/**
 * Dynamic client registration: `POST /register` (RFC 7591 §3) with an initial access token, and
 * `GET`/`DELETE /register/{client_id}` (RFC 7592 §2.1, §2.3) with the registration access token.
 * Updates (RFC 7592 §2.2) are not offered: PUT answers 405, a client registers again instead.
 * CORS is open to any origin: browser MCP clients register too, the requests carry no cookies
 * (credentials are not allowed), and the bearer token is the whole authorization, so an
 * origin gains nothing it could not do from anywhere else.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 RFC 7591 §3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2 RFC 7592 §2}
 */
export function registerRoutes() {
  const app = new Hono<AppEnv>()
  app.use(
    openCors({
      allowHeaders: ['Authorization', 'Content-Type'],
      allowMethods: ['GET', 'POST', 'DELETE'],
      exposeHeaders: ['WWW-Authenticate', 'Retry-After', 'Location'],
      maxAge: 600,
    }),
  )
  app.post('/', async (c) => {
    const initialAccessToken = readBearer(c.req.header('Authorization'))
    const response = await registerClient(c.get('deps'), {
      initialAccessToken,
      // Without a token the answer is 401 whatever the body (RFC 6750 §3.1): it is not read.
      body: initialAccessToken === undefined ? undefined : await readJsonBody(c.req.raw),
      ip: clientIp(c),
    })
    c.header('Location', String(response.registration_client_uri))
    return c.json(response, 201, NO_STORE)
  })
  app.get('/:clientId', async (c) => {
    const token = readBearer(c.req.header('Authorization'))
    return c.json(
      await readRegistration(c.get('deps'), c.req.param('clientId'), token),
      200,
      NO_STORE,
    )
  })
  app.delete('/:clientId', async (c) => {
    const token = readBearer(c.req.header('Authorization'))
    await deleteRegistration(c.get('deps'), c.req.param('clientId'), token)
    return c.body(null, 204, NO_STORE)
  })
  app.all('/', methodNotAllowed('POST'))
  app.all('/:clientId', methodNotAllowed('GET, DELETE'))
  return app
}
