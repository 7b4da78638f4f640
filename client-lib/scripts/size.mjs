#!/usr/bin/env node
// Size budget of @edge-identity/client-lib (issue 7): the typical usage (sign-in, callback, silent
// renewal, sign-out) bundled with oauth4webapi, minified and gzipped, next to oidc-client-ts
// measured the same way in the same run. Exits 1 when ours exceeds BUDGET_BYTES.
//
// Our package is first built as published (dist/index.js, oauth4webapi external) into a temp dir.
// Both fixtures are then bundled by esbuild with the flags of the budget (--bundle --minify
// --format=esm --platform=browser --target=es2022, tree-shaken, oauth4webapi included) and
// gzipped with zlib level 9. Usage: node client-lib/scripts/size.mjs [--json]
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { libDir, libraryBuildOptions } from './library-build-options.mjs'

const BUDGET_BYTES = 8192
const repoRoot = path.resolve(libDir, '..')

// The same four calls with the same settings in both libraries.
const FIXTURES = {
  '@edge-identity/client-lib': `
    import { createAuthClient } from '@edge-identity/client-lib'
    const auth = createAuthClient({
      issuer: 'https://id.example', clientId: 'spa',
      redirectUri: 'https://app.example/cb', silentRedirectUri: 'https://app.example/s.html',
    })
    export const typicalUsage = [
      () => auth.signIn(),
      () => auth.handleRedirectCallback(),
      () => auth.getAccessToken(),
      () => auth.signOut(),
    ]`,
  'oidc-client-ts': `
    import { UserManager } from 'oidc-client-ts'
    const manager = new UserManager({
      authority: 'https://id.example', client_id: 'spa',
      redirect_uri: 'https://app.example/cb', silent_redirect_uri: 'https://app.example/s.html',
    })
    export const typicalUsage = [
      () => manager.signinRedirect(),
      () => manager.signinRedirectCallback(),
      () => manager.signinSilent(),
      () => manager.signoutRedirect(),
    ]`,
}

async function measure(dir, name, source, libraryEntry) {
  const entry = path.join(dir, `${name.replace(/\W/g, '_')}.js`)
  await writeFile(entry, source)
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    nodePaths: [path.join(repoRoot, 'node_modules')],
    // Our package as published: dist/index.js, built the same way into the temp dir.
    alias: { '@edge-identity/client-lib': libraryEntry },
  })
  const code = result.outputFiles[0].contents
  return { name, minified: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

const dir = await mkdtemp(path.join(tmpdir(), 'client-lib-size-'))
try {
  const libraryEntry = path.join(dir, 'client-lib-dist/index.js')
  await build(libraryBuildOptions(libraryEntry))
  const rows = []
  for (const [name, source] of Object.entries(FIXTURES)) {
    rows.push(await measure(dir, name, source, libraryEntry))
  }
  const [ours, peer] = rows
  const overBudget = ours.gzip > BUDGET_BYTES
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ budgetBytes: BUDGET_BYTES, rows }))
  } else {
    const kb = (n) => `${(n / 1024).toFixed(2)} KB`
    console.log('typical usage (sign-in, callback, silent renewal, sign-out), esbuild + gzip -9')
    console.log(`${'library'.padEnd(28)}${'minified'.padStart(12)}${'gzip'.padStart(12)}`)
    for (const row of rows) {
      console.log(
        `${row.name.padEnd(28)}${kb(row.minified).padStart(12)}${kb(row.gzip).padStart(12)}`,
      )
    }
    const ratio = ((ours.gzip / peer.gzip) * 100).toFixed(0)
    const verdict = overBudget ? 'OVER' : 'within'
    console.log(
      `ours: ${ours.gzip} B gzip, ${ratio}% of oidc-client-ts; ${verdict} budget ${BUDGET_BYTES} B`,
    )
  }
  process.exitCode = overBudget ? 1 : 0
} finally {
  await rm(dir, { recursive: true, force: true })
}
