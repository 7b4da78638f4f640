#!/usr/bin/env node
// Checks the package as it will be published: builds it, then publint (package.json fields,
// exports, files) and @arethetypeswrong/cli with the esm-only profile (every JavaScript
// entrypoint resolves to its types under node16 ESM and bundler resolution; CommonJS `require`
// is out of scope: the package is ESM only). Entrypoints that are not modules (the
// silent-callback page) are left out of the types check, which cannot resolve them.
// Usage: node client-lib/scripts/check-package.mjs
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const libDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.resolve(libDir, '../node_modules/.bin')
const run = (command, args) => execFileSync(command, args, { cwd: libDir, stdio: 'inherit' })

const manifest = JSON.parse(await readFile(path.join(libDir, 'package.json'), 'utf8'))
const notModules = Object.entries(manifest.exports ?? {})
  .filter(([, target]) => typeof target === 'string' && !/\.(m?js|json)$/.test(target))
  .map(([subpath]) => subpath)

run('node', ['scripts/build.mjs'])
run(path.join(bin, 'publint'), ['--strict', '.'])
// The directory comes first: `--exclude-entrypoints` takes every argument after it.
run(path.join(bin, 'attw'), [
  '--pack',
  '.',
  '--profile',
  'esm-only',
  ...(notModules.length > 0 ? ['--exclude-entrypoints', ...notModules] : []),
])
