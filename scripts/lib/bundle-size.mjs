// The deployed worker bundle's size (issue 14's target: under 150 KB gzip), computed from the files
// `wrangler deploy --dry-run --outdir DIR` writes, never from wrangler's printed summary.
// Node built-ins only, like project.mjs.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * Issue 14's target, which `npm test` enforces: 150 KB (150,000 bytes) of gzip over every module
 * of the bundle. History (docs/performance.md "The deployed bundle"): 139.9 KB before passkeys
 * (issue 16), 222.9 KB after; 162.2 KB with their certificate attestation left out; 176.2 KB after
 * issue 17; under the target again once `z` stopped carrying every zod export
 * (worker/src/bundle/zod.ts), names were no longer kept (wrangler.toml `keep_names`) and the
 * common-password list moved to D1.
 */
export const BUNDLE_GZIP_TARGET_BYTES = 150_000

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

/**
 * One line: `worker bundle: 449.6 KB raw, 138.5 KB gzip (target 150.0 KB: 11.5 KB under)`.
 */
export function describeBundleSize({ raw, gzip }) {
  const target =
    gzip > BUNDLE_GZIP_TARGET_BYTES
      ? `${kb(gzip - BUNDLE_GZIP_TARGET_BYTES)} over`
      : `${kb(BUNDLE_GZIP_TARGET_BYTES - gzip)} under`
  return (
    `worker bundle: ${kb(raw)} raw, ${kb(gzip)} gzip (target ${kb(BUNDLE_GZIP_TARGET_BYTES)}: ` +
    `${target})`
  )
}

/** Prints the size of the bundle in `outDir` and throws when its gzip size is over the target. */
export function checkBundleSize(outDir) {
  const size = bundleSize(outDir)
  console.log(describeBundleSize(size))
  if (size.gzip > BUNDLE_GZIP_TARGET_BYTES) {
    throw new Error(
      `The worker bundle is ${size.gzip - BUNDLE_GZIP_TARGET_BYTES} bytes of gzip over its target ` +
        '(issue 14; what weighs what: wrangler deploy --dry-run --outdir .tmp/bundle --metafile .tmp/meta.json)',
    )
  }
  return size
}
