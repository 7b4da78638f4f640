import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withBrowser } from './helpers/spa'
import { ROOT } from './helpers/stack'

// The silent renewal frame timer of client-lib (issue 12) in real Chromium, where happy-dom
// cannot show it: which loads the app can read. Two servers of its own on free ports (never
// 8787/5173): an "app" origin and a cross-origin "provider" origin whose pages either pass
// through an intermediate page before redirecting back, or end on a page that never answers.

let app: Server
let provider: Server
let appOrigin = ''
let providerOrigin = ''

const html = (body: string) => `<!doctype html><meta charset="utf-8"><title>t</title>${body}`

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
  return `http://localhost:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `export { runSilentFrame, callbackPageMessage } from './client-lib/src/silent-renew.ts'`,
      resolveDir: ROOT,
    },
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'error',
  })
  const module = bundle.outputFiles[0]?.text ?? ''
  const callbackPage = (await import('node:fs')).readFileSync(
    path.join(ROOT, 'client-lib/silent-callback.html'),
    'utf8',
  )
  app = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://x')
    if (pathname === '/silent-renew.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(module)
    } else if (pathname === '/callback') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(callbackPage)
    } else if (pathname === '/plain') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html('<p>no answer here</p>'))
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(
        html(`<script type="module">
          import { runSilentFrame, callbackPageMessage } from '/silent-renew.js'
          window.silent = (url, timeoutMs) =>
            runSilentFrame(new URL(url), callbackPageMessage(location.origin), 's-1', timeoutMs)
              .then((params) => 'code=' + params.get('code'), (error) => error.code)
          window.ready = true
        </script>`),
      )
    }
  })
  provider = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://x')
    const back = (target: string) => `${appOrigin}${target}`
    if (pathname === '/intermediate') {
      // A provider page that moves on by itself after 1.5 s (longer than the old 1 s timer).
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          html(
            `<script>setTimeout(() => { location.href = ${JSON.stringify(back('/callback?code=ok&state=s-1'))} }, 1500)</script>`,
          ),
        )
    } else if (pathname === '/deny') {
      response
        .writeHead(200, { 'content-type': 'text/html', 'x-frame-options': 'DENY' })
        .end(html('<p>not in a frame</p>'))
    } else if (pathname === '/to-app-page') {
      response.writeHead(302, { location: back('/plain') }).end()
    } else {
      response.writeHead(404).end()
    }
  })
  appOrigin = await listen(app)
  providerOrigin = await listen(provider)
})

afterAll(async () => {
  await new Promise((resolve) => app?.close(resolve))
  await new Promise((resolve) => provider?.close(resolve))
})

describe('client-lib silent frame timer in Chromium', () => {
  async function silent(target: string, timeoutMs: number): Promise<string> {
    return withBrowser(async (context) => {
      const page = await context.newPage()
      await page.goto(`${appOrigin}/`)
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready)
      return page.evaluate(
        ([url, ms]) =>
          (window as unknown as { silent(u: string, t: number): Promise<string> }).silent(url, ms),
        [target, timeoutMs] as [string, number],
      )
    })
  }

  it('waits through a provider page that redirects after 1.5 s: only the silent timeout bounds it', async () => {
    expect(await silent(`${providerOrigin}/intermediate`, 8000)).toBe('code=ok')
  })

  it('calls a frame that ends on a page of the app without an answer blocked, before the timeout', async () => {
    expect(await silent(`${providerOrigin}/to-app-page`, 30_000)).toBe('frame_blocked')
  })

  it('calls a frame blocked by X-Frame-Options blocked when the silent timeout passes (not a transient timeout)', async () => {
    expect(await silent(`${providerOrigin}/deny`, 4000)).toBe('frame_blocked')
  })
})
