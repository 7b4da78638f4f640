import { env } from 'cloudflare:workers'
import { createApp, createServices } from './app'
import { readConfig } from './config'
import type { Env } from './env'
import { rotateSigningKeys } from './keyring/rotate'
import { Db, nowSeconds } from './storage/db'
import { purgeExpired } from './storage/purge'

// Read at global scope on purpose: a bad configuration stops the worker at startup with a
// message naming each bad variable, instead of failing at the first request.
const config = readConfig(env as unknown as Env)
const services = createServices(config)
const app = createApp(config, services)

export default {
  fetch: app.fetch,

  /** Daily Cron Trigger (wrangler.toml [triggers]): signing-key rotation, then clean-up. */
  async scheduled(controller, environment) {
    const db = new Db(environment.DB)
    const report = await rotateSigningKeys(services.keyring, db, environment.CACHE)
    services.log.info('keys.rotated', { ...report, trigger: 'cron', cron: controller.cron })
    const purged = await purgeExpired(db, nowSeconds())
    services.log.info('storage.purged', purged)
  },
} satisfies ExportedHandler<Env>
