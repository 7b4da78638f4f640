import path from 'node:path'
import { defineConfig } from 'vitest/config'

// End-to-end tests: the real `npm start` stack, driven from Node and headless Chromium.
// Files run one at a time: they share the contract's fixed ports 8787 and 5173.
export default defineConfig({
  test: {
    name: 'e2e',
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
