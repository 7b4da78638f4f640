// The deployed worker bundle's size (issue 14's target: under 150 KB gzip), computed from the files
// `wrangler deploy --dry-run --outdir DIR` writes, never from wrangler's printed summary.
// Node built-ins only, like project.mjs.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

/** Issue 14's target: 150 KB (150,000 bytes) of gzip over every module of the bundle. */
export const BUNDLE_GZIP_TARGET_BYTES = 150_000

/**
 * The budget `npm test` enforces until the target is met again. The bundle was 139.9 KB before
 * passkeys (issue 16) brought the WebAuthn library, 222.9 KB after; with its certificate
 * attestation and ASN.1 parser left out (wrangler.toml `[alias]`, worker/src/bundle/) it is
 * 162.2 KB; issue 17 (metadata documents, registration, consent, private_key_jwt) brought it to
 * 176.2 KB. The budget stops the bundle from growing meanwhile; what remains and the next levers
 * (zod is 146 KB of the 554 KB raw) are in docs/performance.md ("The deployed bundle").
 */
export const BUNDLE_GZIP_LIMIT_BYTES = 180_000

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
 * One line: `worker bundle: 505.7 KB raw, 162.2 KB gzip (budget 165.0 KB gzip, target 150.0 KB:
 * 12.2 KB over)`.
 */
export function describeBundleSize({ raw, gzip }) {
  const target =
    gzip > BUNDLE_GZIP_TARGET_BYTES
      ? `${kb(gzip - BUNDLE_GZIP_TARGET_BYTES)} over`
      : `${kb(BUNDLE_GZIP_TARGET_BYTES - gzip)} under`
  return (
    `worker bundle: ${kb(raw)} raw, ${kb(gzip)} gzip (budget ${kb(BUNDLE_GZIP_LIMIT_BYTES)} gzip, ` +
    `target ${kb(BUNDLE_GZIP_TARGET_BYTES)}: ${target})`
  )
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
