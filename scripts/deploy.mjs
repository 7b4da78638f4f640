#!/usr/bin/env node
// `npm run deploy`: checks the production configuration, applies the D1 migrations to the remote
// database, then deploys the worker. Needs `npx wrangler login` (or CLOUDFLARE_API_TOKEN).
import path from 'node:path'
import { BIN, ensureDependencies, ROOT, run } from './lib/project.mjs'

await ensureDependencies()
const { unstable_readConfig: readWranglerConfig } = await import('wrangler')
const { tsImport } = await import('tsx/esm/api')
const { readConfig, ConfigError } = await tsImport('../worker/src/config.ts', import.meta.url)

const vars = readWranglerConfig({ config: path.join(ROOT, 'wrangler.toml') }).vars
try {
  // Secrets live in Cloudflare, not here: check the variables with a stand-in secret.
  readConfig({ ...vars, KEY_ENCRYPTION_SECRET: 'x'.repeat(32) })
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(`${error.message}\n\nFix wrangler.toml [vars] before deploying.`)
  process.exit(1)
}

const wrangler = path.join(BIN, 'wrangler')
await run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--remote'])
await run(wrangler, ['deploy'])
console.log(
  '\nDeployed. If KEY_ENCRYPTION_SECRET is not set yet: npx wrangler secret put KEY_ENCRYPTION_SECRET',
)
