import { readFileSync } from 'node:fs'
import path from 'node:path'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

const root = path.resolve(import.meta.dirname, '../..')

/** Test bindings: what .dev.vars gives `npm start`, with ENVIRONMENT=test. */
export const TEST_VARS = {
  ENVIRONMENT: 'test',
  LOG_LEVEL: 'warn',
  ISSUER: 'http://localhost:8787',
  KEY_ENCRYPTION_SECRET: 'test-only-key-encryption-secret-0123456789abcdef',
  OPS_TOKEN: 'test-only-ops-token-0123456789abcdef0123456789',
  DEMO_TENANT_ID: '6f2c4e1a-3b5d-4c7e-9f10-2a3b4c5d6e7f',
  DEMO_ADMIN_EMAIL: 'admin@demo.example',
  DEMO_ADMIN_PASSWORD: 'demo-admin-password',
  DEMO_ADMIN_CLIENT_ID: '0b9d8f2e-7a6c-4e5d-8b1a-9c0d1e2f3a4b',
  DEMO_ADMIN_CLIENT_SECRET: 'demo-admin-client-secret-change-me-0123456789',
  DEMO_SPA_CLIENT_ID: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
  DEMO_SPA_ORIGIN: 'http://localhost:5173',
  METADATA_DOCUMENT_TENANT_ID: '6f2c4e1a-3b5d-4c7e-9f10-2a3b4c5d6e7f',
}

/**
 * wrangler.toml's `[alias]` table (one `"specifier" = "./path"` per line): the modules the deployed
 * bundle replaces (issue 14), replaced the same way here so the tests run the code that ships.
 * Keys match an import specifier exactly, as wrangler's alias plugin matches them.
 */
function wranglerAliases(): { find: RegExp; replacement: string }[] {
  const toml = readFileSync(path.join(root, 'wrangler.toml'), 'utf8')
  const table = toml.match(/^\[alias\]\n([\s\S]*?)(?=^\[)/m)?.[1] ?? ''
  const entries = [...table.matchAll(/^"([^"]+)" = "([^"]+)"$/gm)]
  if (entries.length === 0) throw new Error('wrangler.toml has no [alias] entries')
  return entries.map(([, specifier = '', target = '']) => ({
    find: new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
    replacement: path.join(root, target),
  }))
}

/** Cases of the fuzz suite per run (test/worker/fuzz), `npm run fuzz -- --runs N` sets it. */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, 'worker/migrations'))
  return {
    plugins: [
      cloudflareTest({
        main: path.join(root, 'worker/src/index.ts'),
        wrangler: { configPath: path.join(root, 'wrangler.toml') },
        miniflare: { bindings: { ...TEST_VARS, TEST_MIGRATIONS: migrations } },
      }),
    ],
    // The deployed bundle's zod and WebAuthn parts (wrangler.toml `[alias]`), so the tests run
    // the code that ships.
    resolve: { alias: wranglerAliases() },
    test: {
      name: 'worker',
      root,
      include: ['test/worker/**/*.test.ts'],
      setupFiles: ['test/worker/helpers/apply-migrations.ts'],
      // Read in workerd with inject(): the Workers pool passes provided values to every file.
      provide: {
        fuzzRuns: Number.isInteger(FUZZ_RUNS) && FUZZ_RUNS > 0 ? FUZZ_RUNS : 10_000,
        fuzzSeed: process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED),
      },
      // The fuzz properties' case counts, added up over every file (loaded by path from `root`).
      reporters: ['default', './test/worker/fuzz/summary-reporter.ts'],
    },
  }
})
