import { env, exports } from 'cloudflare:workers'
import { createApp, createServices } from '../../../worker/src/app'
import { type Config, readConfig } from '../../../worker/src/config'
import type { Services } from '../../../worker/src/context'
import { Db } from '../../../worker/src/storage/db'

export const ISSUER = 'http://localhost:8787'

/** Sends a request to the worker's real entry point (index.ts), as wrangler would. */
export function fetchWorker(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, ISSUER), init))
}

/** The test configuration, optionally changed (a fresh app, not the entry point's). */
export function testConfig(overrides: Partial<Record<string, string>> = {}): Config {
  return readConfig({ ...env, ...overrides })
}

/** A separate app instance with its own isolate-lived services, for tests that need them. */
export function testApp(config: Config = testConfig()): {
  services: Services
  request: (path: string, init?: RequestInit) => Promise<Response>
} {
  const services = createServices(config)
  const app = createApp(config, services)
  return {
    services,
    request: async (path, init) => app.request(new URL(path, config.issuer).href, init, env),
  }
}

export function testDb(): Db {
  return new Db(env.DB)
}

export const OPS_AUTH = { Authorization: `Bearer ${env.OPS_TOKEN}` }
