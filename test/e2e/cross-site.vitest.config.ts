import path from 'node:path'
import { defineConfig } from 'vitest/config'

// The demo SPA in the cross-site layout: its own `npm start` stack with ISSUER=127.0.0.1 (the
// global setup), so it cannot share a run with the same-site files of vitest.config.ts. Its
// files end in `.cross.ts`, which the main config's `*.test.ts` never matches.
export default defineConfig({
  test: {
    name: 'e2e-cross-site',
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/e2e/**/*.cross.ts'],
    globalSetup: ['test/e2e/helpers/cross-site-stack.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
