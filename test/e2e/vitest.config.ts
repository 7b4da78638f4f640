import path from 'node:path'
import { defineConfig } from 'vitest/config'

// End-to-end tests against one real `npm start` stack (started by the global setup), driven
// from Node and headless Chromium. Files run one at a time: they share ports 8787 and 5173.
export default defineConfig({
  test: {
    name: 'e2e',
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/e2e/**/*.test.ts'],
    exclude: ['test/e2e/start.test.ts'],
    globalSetup: ['test/e2e/helpers/global-stack.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
