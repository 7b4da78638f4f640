#!/usr/bin/env node
// `npm test`: installs what is missing, then runs every check: type-check, lint, the deployment
// bundle, worker tests in the Workers runtime, client-lib tests, end-to-end tests (the real
// `npm start` stack, headless Chromium). `npm test -- worker e2e` runs only the named stages.
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import { checkBundleSize } from './lib/bundle-size.mjs'
import { BIN, ensureDependencies, ROOT, run } from './lib/project.mjs'

const TYPE_CHECKED = [
  'worker',
  'client-lib',
  'demo-spa',
  'test/worker',
  'test/client-lib',
  'test/e2e',
  'test/bench',
  // @edge-identity/resource-server and the example MCP server (issue 17).
  'resource-server',
  'examples/mcp-server',
  'test/resource-server',
].filter((dir) => existsSync(path.join(ROOT, dir, 'tsconfig.json')))

/** Runs the tasks with at most `limit` at once (the machines have two cores). */
async function inParallel(tasks, limit) {
  const queue = [...tasks]
  const failures = []
  const worker = async () => {
    for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
      await task().catch((error) => failures.push(error))
    }
  }
  await Promise.all(Array.from({ length: limit }, worker))
  if (failures.length > 0) throw new Error(failures.map((f) => f.message).join('\n'))
}

const vitest = (config) => () =>
  run(path.join(BIN, 'vitest'), ['run', '--config', config], { env: { ...process.env } })

const STAGES = {
  typecheck: () =>
    inParallel(
      TYPE_CHECKED.map(
        (dir) => () => run(path.join(BIN, 'tsc'), ['-p', path.join(dir, 'tsconfig.json')]),
      ),
      2,
    ),
  lint: async () => {
    await run(path.join(BIN, 'biome'), ['check', '.'])
    // SECURITY.md's checklist table must be the one the test titles give.
    await run('node', ['scripts/checklist-coverage.mjs', '--check'])
  },
  // The deployment bundle builds, and stays within its gzip budget (issue 14, bundle-size.mjs).
  bundle: async () => {
    const outDir = path.join(ROOT, '.tmp/bundle')
    rmSync(outDir, { recursive: true, force: true })
    await run(path.join(BIN, 'wrangler'), ['deploy', '--dry-run', '--outdir', outDir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    checkBundleSize(outDir)
  },
  'client-lib-build': () =>
    existsSync(path.join(ROOT, 'client-lib/scripts/build.mjs'))
      ? run('node', ['client-lib/scripts/build.mjs'])
      : Promise.resolve(),
  worker: vitest('test/worker/vitest.config.ts'),
  // @edge-identity/resource-server and the example MCP server, in workerd (issue 17).
  'resource-server': vitest('test/resource-server/vitest.config.ts'),
  // The package as published (issue 12): publint and arethetypeswrong (esm-only) on the build.
  'client-lib-package': () => run('node', ['client-lib/scripts/check-package.mjs']),
  // The library's size budget (issue 7): at most 8 KB gzip for the typical usage.
  'client-lib-size': () => run('node', ['client-lib/scripts/size.mjs']),
  'client-lib': existsSync(path.join(ROOT, 'test/client-lib/vitest.config.ts'))
    ? vitest('test/client-lib/vitest.config.ts')
    : () => Promise.resolve(),
  e2e: async () => {
    await vitest('test/e2e/start.vitest.config.ts')()
    await vitest('test/e2e/vitest.config.ts')()
    await vitest('test/e2e/cross-site.vitest.config.ts')()
  },
}

const requested = process.argv.slice(2)
const unknown = requested.filter((name) => !(name in STAGES))
if (unknown.length > 0) {
  console.error(
    `Unknown stage(s): ${unknown.join(', ')}. Stages: ${Object.keys(STAGES).join(', ')}`,
  )
  process.exit(2)
}

await ensureDependencies()
const results = []
for (const [name, stage] of Object.entries(STAGES)) {
  if (requested.length > 0 && !requested.includes(name)) continue
  console.log(`\n=== ${name} ===`)
  const started = Date.now()
  try {
    await stage()
    results.push({ name, ok: true, seconds: (Date.now() - started) / 1000 })
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    results.push({ name, ok: false, seconds: (Date.now() - started) / 1000 })
  }
}

console.log('\n=== summary ===')
for (const { name, ok, seconds } of results) {
  console.log(`${ok ? 'pass' : 'FAIL'}  ${name.padEnd(18)} ${seconds.toFixed(1)} s`)
}
process.exit(results.every((r) => r.ok) ? 0 : 1)
