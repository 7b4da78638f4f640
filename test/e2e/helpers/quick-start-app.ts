import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { portOpen, ROOT, waitFor } from './stack'

// The client-lib README's quick start, copied into a fresh Vite app that installs the packed
// tarball (issue 12: "the README quick start works when copied into a fresh Vite app").

const exec = promisify(execFile)

/** The README's placeholders, which a reader replaces with their provider and client. */
export const README_ISSUER = "'https://auth.example.com'"
export const README_CLIENT_ID = "'my-spa'"

/**
 * The quick start's code blocks, in order, by the HTML comment that marks each one in
 * client-lib/README.md: `main` blocks make the app's main module, `shell` blocks run in the app.
 */
export function quickStartBlocks(readme: string): { main: string; shell: string[] } {
  const blocks = [...readme.matchAll(/<!-- quick-start-test: (main|shell) -->\n```\w*\n(.*?)```/gs)]
  const main = blocks.filter((b) => b[1] === 'main').map((b) => b[2] ?? '')
  const shell = blocks.filter((b) => b[1] === 'shell').map((b) => (b[2] ?? '').trim())
  if (main.length === 0) {
    throw new Error(
      'client-lib/README.md marks no quick-start code (<!-- quick-start-test: main -->)',
    )
  }
  return { main: main.join('\n'), shell }
}

/**
 * What the quick start takes from the page it runs in: `signInButton`, `signOutButton` and
 * `draftInput` (the elements' ids make them globals), and `render(user, orders?)`, which shows
 * the state for the test to read.
 */
const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <title>Quick start</title>
  </head>
  <body>
    <button id="signInButton">Sign in</button>
    <button id="signOutButton">Sign out</button>
    <input id="draftInput" aria-label="Draft" value="unsaved text" />
    <p id="state">Loading</p>
    <p id="orders"></p>
    <script>
      function render(user, orders) {
        document.getElementById('state').textContent = user ? 'Signed in as ' + user.sub : 'Signed out'
        if (orders !== undefined) document.getElementById('orders').textContent = orders.length + ' orders'
      }
    </script>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`

/**
 * The app's own API, as a backend would answer it: `/api/orders` answers JSON only to a request
 * with a Bearer token, so the test sees that `auth.fetch` sent one.
 */
const VITE_CONFIG = `export default {
  plugins: [{
    name: 'orders-api',
    configurePreviewServer(server) {
      server.middlewares.use('/api/orders', (req, res) => {
        const bearer = /^Bearer \\S+$/.test(req.headers.authorization ?? '')
        res.statusCode = bearer ? 200 : 401
        res.setHeader('Content-Type', 'application/json')
        res.end(bearer ? '[{"id":1},{"id":2}]' : '{"error":"unauthorized"}')
      })
    },
  }],
}
`

export interface QuickStartApp {
  dir: string
  /** The built app, served by `vite preview` on `origin`. */
  origin: string
  stop(): Promise<void>
}

/** The exact version the root installs, so npm finds it in its cache. */
function rootVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  const version = manifest.devDependencies?.[name]
  if (typeof version !== 'string') throw new Error(`${name} is not a root devDependency`)
  return version
}

/**
 * Packs client-lib (its `dist`, built by `npm start`), makes a Vite app whose main module is the
 * README's quick start with `issuer` and `clientId` filled in, installs the tarball and Vite,
 * runs the README's shell steps, `vite build`, and serves the build with `vite preview` on
 * `port`. Everything is removed by `stop()`, also after a failure half-way.
 */
export async function buildQuickStartApp(options: {
  issuer: string
  clientId: string
  port: number
}): Promise<QuickStartApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'edge-identity-quick-start-'))
  let preview: ChildProcess | undefined
  const origin = `http://localhost:${options.port}`
  const stop = async () => {
    if (preview?.pid !== undefined) {
      try {
        process.kill(-preview.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
      await waitFor(async () => !(await portOpen(options.port)), 5000).catch(() => undefined)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    // dist is already built; packing it as is keeps npm start's copy untouched.
    await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
      cwd: path.join(ROOT, 'client-lib'),
    })
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))
    if (tarball === undefined) throw new Error('npm pack made no tarball')

    const app = path.join(dir, 'app')
    mkdirSync(path.join(app, 'src'), { recursive: true })
    mkdirSync(path.join(app, 'public'))
    const readme = readFileSync(path.join(ROOT, 'client-lib/README.md'), 'utf8')
    const { main, shell } = quickStartBlocks(readme)
    if (!main.includes(README_ISSUER) || !main.includes(README_CLIENT_ID)) {
      throw new Error(`the quick start no longer names ${README_ISSUER} and ${README_CLIENT_ID}`)
    }
    const filled = main
      .replace(README_ISSUER, JSON.stringify(options.issuer))
      .replace(README_CLIENT_ID, JSON.stringify(options.clientId))
    writeFileSync(path.join(app, 'src/main.ts'), filled)
    writeFileSync(path.join(app, 'index.html'), INDEX_HTML)
    writeFileSync(path.join(app, 'vite.config.js'), VITE_CONFIG)
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'quick-start', private: true, type: 'module' }, null, 2),
    )
    await exec(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        path.join(dir, tarball),
        `vite@${rootVersion('vite')}`,
      ],
      { cwd: app, timeout: 240_000 },
    )
    for (const command of shell) await exec('sh', ['-c', command], { cwd: app })
    await exec(path.join(app, 'node_modules/.bin/vite'), ['build'], { cwd: app, timeout: 120_000 })

    preview = spawn(
      path.join(app, 'node_modules/.bin/vite'),
      ['preview', '--port', String(options.port), '--strictPort'],
      { cwd: app, detached: true, stdio: 'ignore' },
    )
    await waitFor(() => portOpen(options.port), 30_000)
    return { dir: app, origin, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
