import path from 'node:path'
import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

const root = path.resolve(import.meta.dirname, '../..')

/**
 * @edge-identity/resource-server and the example MCP server, in workerd (the runtime they ship
 * to), with the example's wrangler config (its compatibility date and flags). No network: the
 * issuer's discovery and JWKS come from a stub fetch.
 */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: path.join(root, 'examples/mcp-server/wrangler.toml') },
    }),
  ],
  test: {
    name: 'resource-server',
    root,
    include: ['test/resource-server/**/*.test.ts'],
  },
})
