import { Hono } from 'hono'
import type { AppContext, AppEnv } from '../context'
import { buildApiResourceMetadata } from '../domain/protected-resource-metadata'
import { buildServerMetadata } from '../domain/server-metadata'
import { openCors } from '../middleware/open-cors'

/** Metadata and keys are public and read cross-origin by browser apps and resource servers. */
const PUBLIC_CACHE = 'public, max-age=300'

/**
 * Discovery (OIDC Discovery §4, RFC 8414 §3), the JWKS (RFC 7517) and the management API's
 * protected-resource metadata (RFC 9728 §3). The metadata documents are built once per isolate;
 * the JWKS comes from KV, else D1.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-3 RFC 9728 §3}
 * @see {@link https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 *   OIDC Discovery §4}
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-3 RFC 8414 §3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7517 RFC 7517}
 */
export function wellKnownRoutes(issuer: string, accessTokenSigningAlg: string) {
  const metadata = JSON.stringify(buildServerMetadata(issuer, accessTokenSigningAlg))
  const apiMetadata = JSON.stringify(buildApiResourceMetadata(issuer))
  const app = new Hono<AppEnv>()
  app.use(openCors({ allowMethods: ['GET', 'HEAD', 'OPTIONS'], maxAge: 86400 }))

  const serveMetadata = (c: AppContext) =>
    c.body(metadata, 200, { 'Content-Type': 'application/json', 'Cache-Control': PUBLIC_CACHE })
  app.get('/openid-configuration', serveMetadata)
  app.get('/oauth-authorization-server', serveMetadata)
  app.get('/oauth-protected-resource/api/v1', (c) =>
    c.body(apiMetadata, 200, {
      'Content-Type': 'application/json',
      'Cache-Control': PUBLIC_CACHE,
    }),
  )

  app.get('/jwks.json', async (c) => {
    const { keyring } = c.get('services')
    const { db, replica } = c.get('deps')
    const jwks = await keyring.jwks(db, c.env.CACHE, replica)
    return c.json(jwks, 200, {
      'Content-Type': 'application/jwk-set+json',
      'Cache-Control': PUBLIC_CACHE,
    })
  })
  return app
}
