import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import type { Config } from './config'
import type { AppEnv, Services } from './context'
import { Keyring } from './keyring/keyring'
import { createLogger } from './logger'
import { renderError, renderNotFound } from './middleware/render-error'
import { requestContext } from './middleware/request-context'
import { securityHeaders } from './middleware/security-headers'
import { opsRoutes } from './routes/ops'
import { wellKnownRoutes } from './routes/well-known'

/** Builds the isolate-lived services: configuration, keyring, logger. */
export function createServices(config: Config): Services {
  return {
    config,
    keyring: new Keyring(config),
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
  app.route('/ops', opsRoutes())

  app.notFound(renderNotFound)
  app.onError(renderError)
  return app
}
