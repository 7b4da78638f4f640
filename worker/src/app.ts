import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import type { Config } from './config'
import type { AppEnv, Services } from './context'
import { Keyring } from './keyring/keyring'
import { createLogger } from './logger'
import { renderError, renderNotFound } from './middleware/render-error'
import { requestContext } from './middleware/request-context'
import { securityHeaders } from './middleware/security-headers'
import { apiRoutes } from './routes/api'
import { opsRoutes } from './routes/ops'
import { tokenRoutes } from './routes/token'
import { wellKnownRoutes } from './routes/well-known'
import { ClientCache } from './storage/client-cache'

/** Builds the isolate-lived services: configuration, keyring, logger. */
export function createServices(config: Config): Services {
  return {
    config,
    keyring: new Keyring(config),
    clientCache: new ClientCache(config.clientCacheTtlSeconds),
    log: createLogger(config.logLevel, { service: 'edge-identity' }),
  }
}

/**
 * The worker's Hono application. Build it once per isolate: it owns the per-isolate caches
 * (decrypted signing keys, discovery document).
 */
export function createApp(config: Config, services: Services = createServices(config)) {
  const app = new Hono<AppEnv>()
  app.use(requestId())
  app.use(securityHeaders(config.issuer.startsWith('https:')))
  app.use(requestContext(services))

  app.route('/.well-known', wellKnownRoutes(config.issuer, config.accessTokenSigningAlg))
  app.route('/token', tokenRoutes())
  app.route('/ops', opsRoutes())
  app.route('/api/v1', apiRoutes())

  app.notFound(renderNotFound)
  app.onError(renderError)
  return app
}
