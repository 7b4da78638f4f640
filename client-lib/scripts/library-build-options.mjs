// esbuild options of the published dist/, shared by build.mjs and size.mjs so the size budget
// measures exactly what is published.
import path from 'node:path'

export const libDir = path.resolve(import.meta.dirname, '..')

/** The package's entry points: the core and each optional subpath export. */
export const ENTRIES = {
  '.': 'index',
  './popup': 'popup',
  './web-message': 'web-message',
  './react': 'react',
  './dpop': 'dpop',
}

/** @param {string} outdir */
export function libraryBuildOptions(outdir) {
  return {
    entryPoints: Object.values(ENTRIES).map((name) => path.join(libDir, `src/${name}.ts`)),
    outdir,
    bundle: true,
    // Code shared by the core and a subpath goes into a chunk both import: one copy in the app.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Left as imports: the app's bundler shares one copy and tree-shakes it.
    external: ['oauth4webapi', 'react'],
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  }
}
