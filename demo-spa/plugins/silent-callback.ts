import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Plugin } from 'vite'

/** Where the library's silent redirect URI points in this app. */
const PATH = '/silent-callback.html'

/**
 * Serves the library's silent callback page at /silent-callback.html, exactly as the package
 * publishes it (`@edge-identity/client-lib/silent-callback.html`): from the dev server, and as a
 * file of the production build. Served raw, not through Vite's HTML pipeline, so nothing is
 * injected into it (its CSP hash in the library's README stays valid).
 */
export function silentCallbackPage(): Plugin {
  const file = createRequire(import.meta.url).resolve(
    '@edge-identity/client-lib/silent-callback.html',
  )
  return {
    name: 'edge-identity-silent-callback',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (request.url?.split('?')[0] !== PATH) return next()
        response.setHeader('Content-Type', 'text/html; charset=utf-8')
        response.setHeader('Cache-Control', 'no-store')
        response.end(readFileSync(file))
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: PATH.slice(1), source: readFileSync(file) })
    },
  }
}
