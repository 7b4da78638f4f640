import path from 'node:path'
import { defineConfig } from 'vitest/config'

// The product contract of `npm start` itself: it starts, prints, serves and stops. Runs alone,
// before the other end-to-end tests, because it owns the stack's whole lifecycle.
export default defineConfig({
  test: {
    name: 'e2e-start',
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/e2e/start.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
