#!/usr/bin/env node
// Builds the published package into client-lib/dist:
// - dist/index.js (the core) and dist/popup.js, dist/web-message.js, dist/react.js, dist/dpop.js (the subpath
//   exports), ES modules (esbuild, es2022, browser) sharing chunks in dist/chunks/, oauth4webapi
//   and react left as imports; not minified (the app minifies), with source maps;
// - dist/*.d.ts: declarations by tsc --emitDeclarationOnly;
// - dist/silent-callback.html: the page to serve at the silent redirect URI.
// Usage: node client-lib/scripts/build.mjs
import { execFileSync } from 'node:child_process'
import { copyFile, mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { build } from 'esbuild'
import { libDir, libraryBuildOptions } from './library-build-options.mjs'

const dist = path.join(libDir, 'dist')
const tsc = path.resolve(libDir, '../node_modules/.bin/tsc')

await rm(dist, { recursive: true, force: true })
await mkdir(dist, { recursive: true })
await build({ ...libraryBuildOptions(dist), sourcemap: true })
execFileSync(tsc, ['-p', path.join(libDir, 'tsconfig.build.json')], { stdio: 'inherit' })
await copyFile(path.join(libDir, 'silent-callback.html'), path.join(dist, 'silent-callback.html'))
console.log(`built ${path.relative(process.cwd(), dist)}`)
