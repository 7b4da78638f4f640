import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import type { Config } from './config'
import type { AppEnv, Services } from './context'
import { DECOY_PASSWORD_HASH } from './crypto/password'
import { SealedValues } from './crypto/sealed-values'
import { Keyring } from './keyring/keyring'
import { createLogger } from './logger'
import { renderError, renderNotFound } from './middleware/render-error'
import { requestContext } from './middleware/request-context'
import { authorizeRequestLimit } from './middleware/request-limits'
import { securityHeaders } from './middleware/security-headers'
import { accountRoutes } from './routes/account'
import { accountConsentRoutes } from './routes/account-consents'
import { accountPasskeyRoutes } from './routes/account-passkeys'
import { apiRoutes } from './routes/api'
import { assetRoutes } from './routes/assets'
import { authorizeRoutes } from './routes/authorize'
import { endSessionRoutes } from './routes/end-session'
import { introspectRoutes } from './routes/introspect'
import { opsRoutes } from './routes/ops'
import { registerRoutes } from './routes/register'
import { revokeRoutes } from './routes/revoke'
import { signInRoutes } from './routes/sign-in'
import { tokenRoutes } from './routes/token'
import { userinfoRoutes } from './routes/userinfo'
import { wellKnownRoutes } from './routes/well-known'
import { ClientCache } from './storage/client-cache'

/** Builds the isolate-lived services: configuration, keyring, logger. */
export function createServices(config: Config): Services {
  return {
    decoyPasswordHash: () => Promise.resolve(DECOY_PASSWORD_HASH),
    config,
    keyring: new Keyring(config),
    clientCache: new ClientCache(config.clientCacheTtlSeconds),
    sealed: new SealedValues(config.keyEncryptionSecret),
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
  app.use('/authorize', authorizeRequestLimit())
  // Each asks D1 to store a challenge: the same per-address budget as authorization requests.
  app.use('/signin/passkey', authorizeRequestLimit())
  app.use('/account/passkeys/options', authorizeRequestLimit())

  app.route('/.well-known', wellKnownRoutes(config.issuer, config.accessTokenSigningAlg))
  app.route('/authorize', authorizeRoutes())
  app.route('/signin', signInRoutes())
  app.route('/token', tokenRoutes())
  app.route('/revoke', revokeRoutes())
  app.route('/register', registerRoutes())
  app.route('/introspect', introspectRoutes())
  app.route('/userinfo', userinfoRoutes())
  app.route('/end_session', endSessionRoutes())
  app.route('/ops', opsRoutes())
  app.route('/api/v1', apiRoutes())
  app.route('/account', accountRoutes())
  app.route('/account', accountPasskeyRoutes())
  app.route('/account', accountConsentRoutes())
  app.route('/assets', assetRoutes())

  app.notFound(renderNotFound)
  app.onError(renderError)
  return app
}
