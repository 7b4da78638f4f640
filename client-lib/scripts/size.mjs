#!/usr/bin/env node
// Size budget of @edge-identity/client-lib (issues 7 and 12): the core's typical usage (create,
// sign-in, callback, getAccessToken with silent renewal, sign-out), minified and gzipped with what
// it pulls in, next to oidc-client-ts measured the same way in the same run; then what each
// subpath export adds on top of the core. Exits 1 when the core exceeds BUDGET_BYTES.
//
// Our package is first built as published (dist/, oauth4webapi and react external) into a temp
// dir. Every fixture is then bundled by esbuild with the flags of the budget (--bundle --minify
// --format=esm --platform=browser --target=es2022, tree-shaken, oauth4webapi included, react
// excluded: it is the app's) and gzipped with zlib level 9. A subpath's size is (core + subpath)
// minus the core alone. Usage: node client-lib/scripts/size.mjs [--json]
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { libDir, libraryBuildOptions } from './library-build-options.mjs'

const BUDGET_BYTES = 8192
const repoRoot = path.resolve(libDir, '..')

const CORE = `
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
  ]`

// The same four calls with the same settings in both libraries.
const FIXTURES = {
  '@edge-identity/client-lib': CORE,
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

// Each subpath used on top of the core.
const SUBPATHS = {
  '/popup': `import { signInWithPopup } from '@edge-identity/client-lib/popup'
    export const popup = () => signInWithPopup(auth)`,
  '/web-message': `import { webMessage } from '@edge-identity/client-lib/web-message'
    export const transport = webMessage()`,
  '/react': `import { AuthProvider, useAuth } from '@edge-identity/client-lib/react'
    export const react = [AuthProvider, useAuth]`,
  '/dpop': `import { dpop } from '@edge-identity/client-lib/dpop'
    export const binding = dpop()`,
}

async function measure(dir, name, source) {
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
    external: ['react'],
    nodePaths: [path.join(repoRoot, 'node_modules')],
    // Our package as published: dist/, built the same way into the temp dir.
    alias: {
      '@edge-identity/client-lib/popup': path.join(dir, 'dist/popup.js'),
      '@edge-identity/client-lib/web-message': path.join(dir, 'dist/web-message.js'),
      '@edge-identity/client-lib/react': path.join(dir, 'dist/react.js'),
      '@edge-identity/client-lib/dpop': path.join(dir, 'dist/dpop.js'),
      '@edge-identity/client-lib': path.join(dir, 'dist/index.js'),
    },
  })
  const code = result.outputFiles[0].contents
  return { name, minified: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

const dir = await mkdtemp(path.join(tmpdir(), 'client-lib-size-'))
try {
  await build(libraryBuildOptions(path.join(dir, 'dist')))
  const rows = []
  for (const [name, source] of Object.entries(FIXTURES)) rows.push(await measure(dir, name, source))
  const [ours, peer] = rows
  const subpaths = []
  for (const [name, source] of Object.entries(SUBPATHS)) {
    const both = await measure(dir, name, `${CORE}\n${source}`)
    subpaths.push({
      name: `@edge-identity/client-lib${name}`,
      minified: both.minified - ours.minified,
      gzip: both.gzip - ours.gzip,
    })
  }
  const overBudget = ours.gzip > BUDGET_BYTES
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ budgetBytes: BUDGET_BYTES, rows, subpaths }))
  } else {
    const kb = (n) => `${(n / 1024).toFixed(2)} KB`
    const line = (row, prefix = '') =>
      console.log(
        `${(prefix + row.name).padEnd(40)}${kb(row.minified).padStart(12)}${kb(row.gzip).padStart(12)}`,
      )
    console.log('typical usage (sign-in, callback, silent renewal, sign-out), esbuild + gzip -9')
    console.log(`${'library'.padEnd(40)}${'minified'.padStart(12)}${'gzip'.padStart(12)}`)
    for (const row of rows) line(row)
    console.log('subpath exports, added on top of the core (react itself excluded)')
    for (const row of subpaths) line(row, '+ ')
    const ratio = ((ours.gzip / peer.gzip) * 100).toFixed(0)
    const verdict = overBudget ? 'OVER' : 'within'
    console.log(
      `core: ${ours.gzip} B gzip, ${ratio}% of oidc-client-ts; ${verdict} budget ${BUDGET_BYTES} B`,
    )
  }
  process.exitCode = overBudget ? 1 : 0
} finally {
  await rm(dir, { recursive: true, force: true })
}
