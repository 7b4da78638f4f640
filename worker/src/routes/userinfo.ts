import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { ACCESS_TOKEN_REFUSALS, accessTokenChallenge } from '../domain/access-token-challenge'
import { userinfoAudience } from '../domain/audience'
import { type PresentedAuthorization, readAuthorization } from '../domain/bearer'
import { mediaType } from '../domain/media-type'
import { OAuthError } from '../errors'
import { preflight } from '../middleware/preflight'
import { AccessTokenRejected, verifyAccessToken } from '../steps/verify-access-token'
import { requestHtu } from './request-htu'

const REALM = 'userinfo'
const CHALLENGE = accessTokenChallenge(REALM, { dpop: false })

/**
 * The UserInfo endpoint (OIDC Core §5.3), GET and POST. The access token comes in the
 * Authorization header, or in a POST form body (RFC 6750 §2.2), never in the query (RFC 9700
 * §4.3.2, checklist M03), as Bearer or, for a token bound to a key, as DPoP with a proof (RFC
 * 9449 §7, steps/verify-access-token.ts). Errors are RFC 6750 §3 or RFC 9449 §7.1 challenges
 * with a JSON body (M04).
 * @see {@link https://openid.net/specs/openid-connect-core-1_0.html#UserInfo OIDC Core §5.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.2 RFC 6750 §2.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.3.2 RFC 9700 §4.3.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 RFC 6750 §3}
 */
export function userinfoRoutes() {
  const app = new Hono<AppEnv>()
  app.use(preflight('GET, POST'))
  app.on(['GET', 'POST'], '/', async (c) => {
    const presented = await readAccessToken(c)
    let verified: Awaited<ReturnType<typeof verifyAccessToken>>
    try {
      verified = await verifyAccessToken(
        c.get('deps'),
        {
          ...presented,
          proof: c.req.header('DPoP'),
          method: c.req.method,
          url: requestHtu(c),
        },
        userinfoAudience(c.get('config').issuer),
        c.req.header('Origin'),
      )
    } catch (error) {
      if (!(error instanceof AccessTokenRejected)) throw error
      throw new OAuthError(error.problem, ACCESS_TOKEN_REFUSALS[error.problem], {
        status: 401,
        headers: {
          ...error.headers,
          'WWW-Authenticate': accessTokenChallenge(REALM, {
            dpop: error.dpop,
            error: error.problem,
          }),
        },
        cause: error,
      })
    }
    if (verified.originAllowed) {
      c.header('Access-Control-Allow-Origin', c.req.header('Origin') ?? '')
      c.header('Access-Control-Expose-Headers', 'WWW-Authenticate, DPoP-Nonce')
    }
    c.header('Vary', 'Origin')
    if (!verified.scope.includes('openid') || verified.profile === undefined) {
      throw new OAuthError('insufficient_scope', 'The access token lacks the openid scope', {
        headers: {
          'WWW-Authenticate': accessTokenChallenge(REALM, {
            dpop: verified.jkt !== undefined,
            error: 'insufficient_scope',
            scope: 'openid',
          }),
        },
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

async function readAccessToken(c: AppContext): Promise<PresentedAuthorization> {
  if (new URL(c.req.url).searchParams.has('access_token')) {
    throw new OAuthError('invalid_request', 'Send the access token in the Authorization header', {
      headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_request"` },
    })
  }
  const header = c.req.header('Authorization')
  const fromHeader = readAuthorization(header)
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
  const token: PresentedAuthorization | undefined =
    fromHeader ?? (fromBody === undefined ? undefined : { scheme: 'Bearer', token: fromBody })
  if (token === undefined) {
    // RFC 6750 §3.1: no error code in the challenge when no credentials were sent at all.
    throw new OAuthError('invalid_token', 'A bearer access token is required', {
      headers: { 'WWW-Authenticate': CHALLENGE },
    })
  }
  return token
}
