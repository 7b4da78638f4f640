// The deployed worker bundle's size (issue 14: under 150 KB gzip), computed from the files
// `wrangler deploy --dry-run --outdir DIR` writes, never from wrangler's printed summary.
// Node built-ins only, like project.mjs.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

/** The budget: 150 KB (150,000 bytes) of gzip over every module of the bundle. */
export const BUNDLE_GZIP_LIMIT_BYTES = 150_000

/**
 * Raw and gzip bytes of the bundle in `outDir`: every module wrangler would upload (source maps
 * and its README left out), each gzipped on its own at zlib's default level.
 */
export function bundleSize(outDir) {
  const modules = readdirSync(outDir).filter((name) => !/\.map$|^README\.md$/.test(name))
  if (modules.length === 0) throw new Error(`no bundle in ${outDir}`)
  let raw = 0
  let gzip = 0
  for (const name of modules) {
    const bytes = readFileSync(path.join(outDir, name))
    raw += bytes.length
    gzip += gzipSync(bytes).length
  }
  return { raw, gzip, modules }
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`

/** One line: `worker bundle: 453.2 KB raw, 147.8 KB gzip (limit 150.0 KB gzip)`. */
export function describeBundleSize({ raw, gzip }) {
  return `worker bundle: ${kb(raw)} raw, ${kb(gzip)} gzip (limit ${kb(BUNDLE_GZIP_LIMIT_BYTES)} gzip)`
}

/** Prints the size of the bundle in `outDir` and throws when its gzip size is over the budget. */
export function checkBundleSize(outDir) {
  const size = bundleSize(outDir)
  console.log(describeBundleSize(size))
  if (size.gzip > BUNDLE_GZIP_LIMIT_BYTES) {
    throw new Error(
      `The worker bundle is ${size.gzip - BUNDLE_GZIP_LIMIT_BYTES} bytes of gzip over its budget ` +
        '(issue 14; what weighs what: wrangler deploy --dry-run --outdir .tmp/bundle --metafile .tmp/meta.json)',
    )
  }
  return size
}
