import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { sha256, timingSafeEqual } from '../crypto/hash'
import { toFieldErrors } from '../domain/field-errors'
import { problems } from '../errors'
import { rotateSigningKeys } from '../keyring/rotate'
import { BootstrapTenantInput, bootstrapTenant } from '../steps/bootstrap-tenant'
import { ensureDemoTenant } from '../steps/ensure-demo-tenant'

/**
 * Operator endpoints, authenticated by the OPS_TOKEN secret (they do not exist without it):
 * create a tenant with its first administrator, rotate signing keys, seed the demo tenant.
 */
export function opsRoutes() {
  const app = new Hono<AppEnv>()

  app.use(async (c, next) => {
    const { opsToken } = c.get('config')
    if (opsToken === undefined) throw problems.notFound(`No resource at ${c.req.path}`)
    const presented = /^Bearer (.+)$/i.exec(c.req.header('Authorization') ?? '')?.[1] ?? ''
    // Compare digests, so the comparison's time does not depend on the token's length either.
    if (!timingSafeEqual(await sha256(presented), await sha256(opsToken))) {
      throw problems.unauthorized('A valid operator token is required')
    }
    await next()
  })

  app.post('/tenants', async (c) => {
    const parsed = BootstrapTenantInput.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) throw problems.validation(toFieldErrors(parsed.error))
    const result = await bootstrapTenant(c.get('deps'), parsed.data)
    return c.json(result, 201)
  })

  app.post('/keys/rotate', async (c) => {
    const force = c.req.query('force') === 'true'
    const revokePrevious = force && c.req.query('revoke') === 'true'
    const { keyring, db, cache, log } = c.get('deps')
    const report = await rotateSigningKeys(keyring, db, cache, {
      force,
      revokePrevious,
    })
    log.info('keys.rotated', { ...report, force, revokePrevious, trigger: 'operator' })
    return c.json(report)
  })

  app.post('/dev-seed', async (c) => {
    const { demo, environment } = c.get('config')
    if (environment === 'production' || demo === undefined) {
      throw problems.notFound('The demo seed exists only in development, from .dev.vars')
    }
    return c.json(await ensureDemoTenant(c.get('deps'), demo))
  })

  return app
}
