import { env } from 'cloudflare:workers'
import { createApp, createServices } from './app'
import { readConfig } from './config'
import type { Env } from './env'
import { rotateSigningKeys } from './keyring/rotate'
import { Db } from './storage/db'

// Read at global scope on purpose: a bad configuration stops the worker at startup with a
// message naming each bad variable, instead of failing at the first request.
const config = readConfig(env as unknown as Env)
const services = createServices(config)
const app = createApp(config, services)

export default {
  fetch: app.fetch,

  /** Daily Cron Trigger: signing-key rotation (wrangler.toml [triggers]). */
  async scheduled(controller, environment) {
    const report = await rotateSigningKeys(
      services.keyring,
      new Db(environment.DB),
      environment.CACHE,
    )
    services.log.info('keys.rotated', { ...report, trigger: 'cron', cron: controller.cron })
  },
} satisfies ExportedHandler<Env>
