import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../context'
import { toFieldErrors } from '../../domain/field-errors'
import { problems } from '../../errors'
import { openCors } from '../../middleware/open-cors'
import { renderError } from '../../middleware/render-error'
import { apiRequestLimit } from '../../middleware/request-limits'
import { CONSISTENCY_BOOKMARK_HEADER, latestBookmark } from '../../storage/read-replication'
import { API_REFERENCE_CSS, ApiReference, type OpenApiDocument } from '../../views/api-reference'
import { registerAuditRoutes } from './audit-events'
import { registerSecretRoutes } from './client-secrets'
import { registerClientRoutes } from './clients'
import { registerInitialAccessTokenRoutes } from './initial-access-tokens'
import { requireAdministrator } from './require-administrator'
import { registerResourceRoutes } from './resources'
import { registerRoleRoutes } from './roles'
import { registerThirdPartyRoutes } from './third-party'
import { registerUserPasskeyRoutes } from './user-passkeys'
import { registerUserRoutes } from './users'

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'edge-identity management API',
    version: '1.0.0',
    description:
      'Clients, secrets, roles, users, API resources and audit log of a tenant. Bearer access tokens issued by ' +
      'this server (scope api) whose subject holds Account Administrator in the tenant. Errors are ' +
      'RFC 9457 problem details.',
  },
}

/**
 * The management API under /api/v1, with the OpenAPI 3.1 document generated from the same zod
 * schemas that validate requests, and a browsable reference page.
 */
export function apiRoutes() {
  const api = new OpenAPIHono<AppEnv>({
    // Every validation failure becomes one RFC 9457 problem with an entry per invalid field.
    defaultHook: (result) => {
      if (!result.success) throw problems.validation(toFieldErrors(result.error))
    },
  })
  // The app's one renderer, also here: errors raised by the OpenAPI layer's own copy of Hono
  // (malformed JSON, 415) must still be RFC 9457 problems.
  api.onError(renderError)
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT (RFC 9068)',
  })
  // Bearer tokens, never cookies: any origin may call the API with a token it holds (the
  // portal, an administrator's tools), so CORS is open and grants nothing by itself.
  api.use(
    openCors({
      // DPoP (RFC 9449 §7): the proof header in, the server nonce out.
      // Consistency-Bookmark: read-your-writes across requests (storage/read-replication.ts).
      allowHeaders: ['Authorization', 'Content-Type', 'DPoP', CONSISTENCY_BOOKMARK_HEADER],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['Location', 'WWW-Authenticate', 'DPoP-Nonce', CONSISTENCY_BOOKMARK_HEADER],
      maxAge: 600,
    }),
  )
  // Reads may come from a D1 read replica; every answer carries the newest bookmark the request
  // saw (after its writes), and a client that sends it back reads at least that state.
  api.use('/tenants/:tenantId/*', async (c, next) => {
    await next()
    const { db, replica } = c.get('deps')
    const bookmark = latestBookmark(db, replica)
    if (bookmark !== null) c.res.headers.set(CONSISTENCY_BOOKMARK_HEADER, bookmark)
  })
  api.use('/tenants/:tenantId/*', apiRequestLimit())
  api.use('/tenants/:tenantId/*', requireAdministrator())

  for (const type of ['client-credentials', 'authorization-code', 'hybrid'] as const) {
    registerClientRoutes(api, type)
  }
  registerSecretRoutes(api, 'client-credentials')
  registerSecretRoutes(api, 'hybrid')
  registerRoleRoutes(api)
  registerUserRoutes(api)
  registerUserPasskeyRoutes(api)
  registerResourceRoutes(api)
  registerAuditRoutes(api)
  registerInitialAccessTokenRoutes(api)
  registerThirdPartyRoutes(api)

  let document: OpenApiDocument | undefined
  const openApiDocument = (issuer: string) => {
    document ??= api.getOpenAPI31Document({
      ...DOCUMENT,
      servers: [{ url: `${issuer}/api/v1` }],
    }) as unknown as OpenApiDocument
    return document
  }
  api.get('/openapi.json', (c) => c.json(openApiDocument(c.get('config').issuer)))
  api.get('/reference', (c) => {
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
    )
    return c.html(
      <ApiReference doc={openApiDocument(c.get('config').issuer)} specUrl="openapi.json" />,
    )
  })
  api.get('/reference.css', (c) =>
    c.body(API_REFERENCE_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  )
  return api
}
