// esbuild options of the published dist/index.js, shared by build.mjs and size.mjs so the size
// budget measures exactly what is published.
import path from 'node:path'

export const libDir = path.resolve(import.meta.dirname, '..')

/** @param {string} outfile */
export function libraryBuildOptions(outfile) {
  return {
    entryPoints: [path.join(libDir, 'src/index.ts')],
    outfile,
    bundle: true,
    // Left as an import: the app's bundler shares one copy and tree-shakes it.
    external: ['oauth4webapi'],
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  }
}
