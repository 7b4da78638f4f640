#!/usr/bin/env node
// `npm run bench`: every performance figure the issues ask for, in one run.
// 1. every flow side by side: ours vs a Hono + jose floor vs node-oidc-provider
//    (scripts/bench.mjs; its options pass through, e.g. `npm run bench -- --quick` or
//    `npm run bench -- --seconds 8 --rounds 5`);
// 2. client-lib size: the typical usage, minified + gzip, next to oidc-client-ts;
// 3. silent renewal latency: the median of 30 renewals (5 with --quick) through the demo SPA in
//    headless Chromium, against a fresh `npm start` this script starts and stops (skipped, and
//    said so, when Chromium is missing).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ensureDependencies, ROOT, run } from './lib/project.mjs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const READY = 'Press Ctrl-C to stop.'

await ensureDependencies()
// --topology / --scale: only that model (scripts/bench-topology.mjs, scripts/bench-scale.mjs).
const mode = ['topology', 'scale'].find((name) => process.argv.includes(`--${name}`))
if (mode) {
  const ok = await run('node', [`scripts/bench-${mode}.mjs`, ...process.argv.slice(2)]).then(
    () => true,
    () => false,
  )
  process.exit(ok ? 0 : 1)
}
let failed = false
const section = async (title, task) => {
  console.log(`\n=== ${title} ===`)
  try {
    await task()
  } catch (error) {
    failed = true
    console.error(error instanceof Error ? error.message : error)
  }
}

const args = process.argv.slice(2)
await section('every flow side by side (ours, floor, node-oidc-provider)', () =>
  run('node', ['scripts/bench.mjs', ...args]),
)
await section('latency far from the D1 primary (topology model)', () =>
  run('node', ['scripts/bench-topology.mjs']),
)
await section('client-lib size', () => run('node', ['client-lib/scripts/size.mjs']))
await section('silent renewal latency (demo SPA, headless Chromium)', async () => {
  if (!existsSync(CHROMIUM)) {
    console.log(`Chromium not found at ${CHROMIUM}: not measured.`)
    return
  }
  const runs = args.includes('--quick') ? '5' : '30'
  await withStack(() => run('node', ['demo-spa/scripts/renewal-latency.mjs', '--runs', runs]))
})
process.exit(failed ? 1 : 0)

function groupAlive(pid) {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

/** Runs `task` against a fresh `npm start` (its own state and process group), then stops it. */
async function withStack(task) {
  const state = mkdtempSync(path.join(tmpdir(), 'edge-identity-bench-stack-'))
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, EDGE_IDENTITY_STATE_DIR: state },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }
  process.once('SIGINT', () => {
    stop()
    process.exit(130)
  })
  try {
    await new Promise((resolve, reject) => {
      let output = ''
      child.stdout.on('data', (chunk) => {
        output += chunk
        if (output.includes(READY)) resolve()
      })
      child.once('exit', (code) =>
        reject(new Error(`npm start exited (${code}) before it was ready`)),
      )
    })
    await task()
  } finally {
    stop()
    // npm exits at once; wait for the whole group (the worker and Vite) to be gone.
    while (groupAlive(child.pid)) await new Promise((resolve) => setTimeout(resolve, 100))
    rmSync(state, { recursive: true, force: true })
  }
}
