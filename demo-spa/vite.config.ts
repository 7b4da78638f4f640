import { defineConfig } from 'vite'

// The demo SPA and clients portal. `npm start` serves it on :5173 and sets VITE_ISSUER and
// VITE_CLIENT_ID from .dev.vars; a production build takes them from the environment:
//   VITE_ISSUER=https://auth.example.com VITE_CLIENT_ID=... npm run build -w demo-spa
export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
})
