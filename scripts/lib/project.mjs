// Shared by the npm scripts (start, test, bench, deploy). Node built-ins only: this file runs
// before dependencies are installed.
import { spawn } from 'node:child_process'
import { appendFileSync, copyFileSync, existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(ROOT, 'node_modules/.bin')

/** Keeps wrangler off the network: no update check, metrics, request.cf (docs/toolchain.md). */
export const WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
}
Object.assign(process.env, WRANGLER_ENV)

/** Runs a command to completion, inheriting the terminal; rejects on a non-zero exit. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    )
  })
}

/**
 * Installs dependencies when node_modules is missing or older than package-lock.json, so
 * `npm start` and `npm test` work on a fresh clone.
 */
export async function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules/.package-lock.json')
  const lock = path.join(ROOT, 'package-lock.json')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return
  console.log('Installing dependencies (npm install)...')
  await run('npm', ['install', '--no-audit', '--no-fund'])
}

/** Variables added to .dev.vars.example after its first release (issue 17). */
const ADDED_LATER = ['METADATA_DOCUMENT_TENANT_ID']

/** Creates .dev.vars from the committed example on first start; answers its variables. */
export function ensureDevVars() {
  const file = path.join(ROOT, '.dev.vars')
  if (!existsSync(file)) {
    copyFileSync(path.join(ROOT, '.dev.vars.example'), file)
    console.log('Created .dev.vars from .dev.vars.example (development settings and demo seed).')
  }
  // Variables the example gained after .dev.vars files existed are added with the example's
  // value when absent; what the developer set is never changed.
  const example = parseDotenv(readFileSync(path.join(ROOT, '.dev.vars.example'), 'utf8'))
  const vars = parseDotenv(readFileSync(file, 'utf8'))
  const missing = ADDED_LATER.filter((name) => name in example && !(name in vars))
  if (missing.length > 0) {
    appendFileSync(file, `\n${missing.map((name) => `${name}=${example[name]}`).join('\n')}\n`)
    console.log(`Added to .dev.vars from .dev.vars.example: ${missing.join(', ')}.`)
  }
  return parseDotenv(readFileSync(file, 'utf8'))
}

/** The subset of dotenv syntax .dev.vars uses: KEY=value lines, # comments, optional quotes. */
export function parseDotenv(text) {
  const vars = {}
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (match === null) continue
    vars[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return vars
}
