import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { userinfoAudience } from '../domain/audience'
import { readBearer } from '../domain/bearer'
import { mediaType } from '../domain/media-type'
import { OAuthError } from '../errors'
import { preflight } from '../middleware/preflight'
import { AccessTokenRejected, verifyAccessToken } from '../steps/verify-access-token'

const CHALLENGE = 'Bearer realm="userinfo"'

/**
 * The UserInfo endpoint (OIDC Core §5.3), GET and POST. The access token comes in the
 * Authorization header, or in a POST form body (RFC 6750 §2.2), never in the query (RFC 9700
 * §4.3.2, checklist M03). Errors are RFC 6750 §3 challenges with a JSON body (M04).
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#UserInfo OIDC Core §5.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.2 RFC 6750 §2.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.3.2 RFC 9700 §4.3.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 RFC 6750 §3}
 */
export function userinfoRoutes() {
  const app = new Hono<AppEnv>()
  app.use(preflight('GET, POST'))
  app.on(['GET', 'POST'], '/', async (c) => {
    const token = await readAccessToken(c)
    let verified: Awaited<ReturnType<typeof verifyAccessToken>>
    try {
      verified = await verifyAccessToken(
        c.get('deps'),
        token,
        userinfoAudience(c.get('config').issuer),
        c.req.header('Origin'),
      )
    } catch (error) {
      if (!(error instanceof AccessTokenRejected)) throw error
      throw new OAuthError('invalid_token', 'The access token is invalid, expired or revoked', {
        headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` },
      })
    }
    if (verified.originAllowed) {
      c.header('Access-Control-Allow-Origin', c.req.header('Origin') ?? '')
      c.header('Access-Control-Expose-Headers', 'WWW-Authenticate')
    }
    c.header('Vary', 'Origin')
    if (!verified.scope.includes('openid') || verified.profile === undefined) {
      throw new OAuthError('insufficient_scope', 'The access token lacks the openid scope', {
        headers: { 'WWW-Authenticate': `${CHALLENGE}, error="insufficient_scope", scope="openid"` },
      })
    }
    // OIDC Core §5.4: claims by scope; sub always.
    return c.json(
      {
        sub: verified.subject,
        ...(verified.scope.includes('profile') && { name: verified.profile.name }),
        ...(verified.scope.includes('email') && { email: verified.profile.email }),
      },
      200,
      { 'Cache-Control': 'no-store' },
    )
  })
  app.all('/', () => {
    throw new OAuthError('invalid_request', 'Use GET or POST', {
      status: 405,
      headers: { Allow: 'GET, POST' },
    })
  })
  return app
}

async function readAccessToken(c: AppContext): Promise<string> {
  if (new URL(c.req.url).searchParams.has('access_token')) {
    throw new OAuthError('invalid_request', 'Send the access token in the Authorization header', {
      headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_request"` },
    })
  }
  const header = c.req.header('Authorization')
  const fromHeader = readBearer(header)
  let fromBody: string | undefined
  const type = mediaType(c.req.header('Content-Type'))
  if (c.req.method === 'POST' && type === 'application/x-www-form-urlencoded') {
    fromBody = new URLSearchParams(await c.req.text()).get('access_token') ?? undefined
  }
  if (fromHeader !== undefined && fromBody !== undefined) {
    // RFC 6750 §2: a client MUST NOT use more than one method to send the token.
    throw new OAuthError('invalid_request', 'Send the access token once', {
      headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_request"` },
    })
  }
  const token = fromHeader ?? fromBody
  if (token === undefined) {
    // RFC 6750 §3.1: no error code in the challenge when no credentials were sent at all.
    throw new OAuthError('invalid_token', 'A bearer access token is required', {
      headers: { 'WWW-Authenticate': CHALLENGE },
    })
  }
  return token
}
