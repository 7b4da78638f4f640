// Builds what runs in Miniflare: our worker exactly as it would deploy (wrangler's own bundle,
// `deploy --dry-run`), and the floor worker with esbuild for the same runtime.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { BIN, ROOT, WRANGLER_ENV } from '../../../scripts/lib/project.mjs'

const execFileAsync = promisify(execFile)

/** `wrangler deploy --dry-run --outdir`: answers the bundle's entry module. */
export async function bundleWorker(outDir) {
  try {
    await execFileAsync(path.join(BIN, 'wrangler'), ['deploy', '--dry-run', '--outdir', outDir], {
      cwd: ROOT,
      env: { ...process.env, ...WRANGLER_ENV },
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (error) {
    throw new Error(`wrangler deploy --dry-run failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`)
  }
  return path.join(outDir, 'index.js')
}

/** A worker of this folder (floor-worker.ts, micro-worker.ts) bundled for workerd, ESM. */
export async function bundleBenchWorker(name, outDir) {
  const outfile = path.join(outDir, `${name}.js`)
  await build({
    entryPoints: [path.join(ROOT, `test/bench/${name}.ts`)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // jose's and hono's web builds; workerd's own modules stay imports.
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    // For profile.mjs, which maps samples back to source files.
    sourcemap: true,
    logLevel: 'error',
  })
  return outfile
}

export const bundleFloor = (outDir) => bundleBenchWorker('floor-worker', outDir)
