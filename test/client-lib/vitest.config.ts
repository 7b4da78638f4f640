import path from 'node:path'
import { defineConfig } from 'vitest/config'

const root = path.resolve(import.meta.dirname, '../..')

/** client-lib unit tests: happy-dom as the browser, fetch injected, no network. */
export default defineConfig({
  test: {
    name: 'client-lib',
    root,
    include: ['test/client-lib/**/*.test.ts'],
    environment: 'happy-dom',
    environmentOptions: {
      happyDOM: {
        url: 'http://localhost:5173/app?tab=1',
        settings: {
          disableIframePageLoading: true,
          navigation: { disableMainFrameNavigation: true },
        },
      },
    },
    // WebCrypto (RSA signing in the fake provider) is slow on a busy 2-core machine.
    testTimeout: 20_000,
    restoreMocks: true,
    unstubGlobals: true,
  },
})
