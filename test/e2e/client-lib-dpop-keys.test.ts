import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withBrowser } from './helpers/spa'
import { ROOT } from './helpers/stack'

// The DPoP key store of client-lib (issue 15) in real Chromium, where happy-dom has no IndexedDB:
// the key pair survives a reload, two tabs that make one at once end with the same key, and
// sign-out replaces it. One server of its own on a free port (never 8787/5173) serves a page
// that loads @edge-identity/client-lib/dpop.

let server: Server
let origin = ''

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `export { dpop, indexedDbKeyStore } from './client-lib/src/dpop.ts'`,
      resolveDir: ROOT,
    },
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'error',
  })
  const module = bundle.outputFiles[0]?.text ?? ''
  server = createServer((request, response) => {
    if (request.url === '/dpop.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(module)
      return
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><meta charset="utf-8"><title>t</title><script type="module">
        import { dpop, indexedDbKeyStore } from '/dpop.js'
        window.binding = (name) => dpop({ store: indexedDbKeyStore(name) })
        window.ready = true
      </script>`,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve))
  origin = `http://localhost:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())))

type Window = {
  binding(name: string): { thumbprint(): Promise<string>; reset(mine: boolean): void }
}

async function open(page: Page): Promise<void> {
  await page.goto(`${origin}/`)
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true)
}

const thumbprint = (page: Page, name: string) =>
  page.evaluate((name) => (window as unknown as Window).binding(name).thumbprint(), name)

describe('client-lib DPoP key store in Chromium (IndexedDB)', () => {
  it('keeps the key pair across a reload, as a private key script cannot export', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await open(page)
      const first = await thumbprint(page, 'default')
      expect(first).toMatch(/^[\w-]{43}$/)
      await page.reload()
      await open(page)
      expect(await thumbprint(page, 'default')).toBe(first)
      const stored = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const request = indexedDB.open('edge-identity-dpop')
            request.onsuccess = () => {
              const get = request.result.transaction('keys').objectStore('keys').get('default')
              get.onsuccess = () => {
                const { privateKey } = get.result as CryptoKeyPair
                crypto.subtle.exportKey('pkcs8', privateKey).then(
                  () => resolve('exported'),
                  (error: Error) => resolve(`${privateKey.extractable} ${error.name}`),
                )
              }
            }
          }),
      )
      expect(stored).toBe('false InvalidAccessError')
    })
  })

  it('gives two tabs that make a key at once the same key, and a new one after sign-out', async () => {
    await withBrowser(async (context) => {
      const [a, b] = [await context.newPage(), await context.newPage()]
      await Promise.all([open(a), open(b)])
      const [fromA, fromB] = await Promise.all([thumbprint(a, 'race'), thumbprint(b, 'race')])
      expect(fromA).toBe(fromB)
      const renewed = await a.evaluate(async () => {
        const binding = (window as unknown as Window).binding('race')
        await binding.thumbprint()
        binding.reset(true) // this tab signed out: the stored key is deleted
        return binding.thumbprint()
      })
      expect(renewed).not.toBe(fromA)
      expect(await thumbprint(b, 'race')).toBe(renewed)
    })
  })
})
