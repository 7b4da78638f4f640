import { defineConfig } from 'vite'
import { silentCallbackPage } from './plugins/silent-callback.ts'

// The demo SPA and clients portal. `npm start` builds @edge-identity/client-lib, then serves this
// on :5173 with VITE_ISSUER and VITE_CLIENT_ID from .dev.vars; a production build takes them
// from the environment (after `node client-lib/scripts/build.mjs`):
//   VITE_ISSUER=https://auth.example.com VITE_CLIENT_ID=... npm run build -w demo-spa
export default defineConfig({
  root: import.meta.dirname,
  plugins: [silentCallbackPage()],
  // The portal's components: hono/jsx on the DOM, the same JSX as the worker's server views.
  esbuild: { jsx: 'automatic', jsxImportSource: 'hono/jsx/dom' },
  // The library is a workspace link (source, not pre-bundled); its one dependency is.
  optimizeDeps: { include: ['oauth4webapi'] },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
})
