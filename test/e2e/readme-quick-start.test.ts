import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './helpers/browser'
import { buildQuickStartApp, type QuickStartApp } from './helpers/quick-start-app'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  TENANT_ID,
} from './helpers/spa'
import { SERVER } from './helpers/stack'

// Issue 12, "Done when": the client-lib README's quick start, copied as is into a fresh Vite app
// that installs the packed tarball, builds, and signs in against `npm start` in headless
// Chromium. The app has a port of its own; its client is registered through the management API.

const APP_PORT = 5175
const APP = `http://localhost:${APP_PORT}`

/** Registers the app as a public client of the demo tenant, as step 1 of the quick start says. */
async function registerQuickStartClient(): Promise<string> {
  const token = await fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`)}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  })
  const { access_token: admin } = (await token.json()) as { access_token: string }
  const created = await fetch(`${SERVER}/api/v1/tenants/${TENANT_ID}/authorization-code-clients`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'README quick start (e2e)',
      redirectUris: [`${APP}/callback`, `${APP}/silent-callback.html`],
      postLogoutRedirectUris: [`${APP}/`],
      allowedCorsOrigins: [APP],
      // The quick start asks for the api scope, which this server grants only to a client that
      // holds Account Administrator (like the demo SPA).
      roleIds: ['account-administrator'],
    }),
  })
  if (created.status !== 201) throw new Error(`client not registered: ${await created.text()}`)
  return ((await created.json()) as { id: string }).id
}

describe('client-lib README quick start in a fresh Vite app (packed tarball)', () => {
  let app: QuickStartApp | undefined

  beforeAll(async () => {
    const clientId = await registerQuickStartClient()
    app = await buildQuickStartApp({ issuer: SERVER, clientId, port: APP_PORT })
  }, 300_000)

  afterAll(async () => {
    await app?.stop()
  })

  it('builds with vite build and serves the app', async () => {
    const response = await fetch(`${APP}/`)
    expect(response.status).toBe(200)
    expect(await response.text()).toMatch(/<script type="module"[^>]*src="\/assets\/index-/)
    // Step 2's copy of the silent callback page is served beside the app.
    expect((await fetch(`${APP}/silent-callback.html`)).status).toBe(200)
  })

  it('signs in, calls the API with the token, restores the session silently after a reload, and signs out', async () => {
    const browser = await launchBrowser()
    try {
      const page = await browser.context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      const state = page.locator('#state')
      /** Waits for the page's state line; on a timeout, says what the page reported. */
      const shows = async (text: string | RegExp) => {
        try {
          await expect.poll(() => state.textContent(), { timeout: 20_000 }).toMatch(text)
        } catch (error) {
          throw new Error(`${error}\npage errors: ${errors.join('\n') || 'none'}`)
        }
      }

      await page.goto(`${APP}/`)
      await shows('Signed out')

      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByLabel('Email').fill(ADMIN_EMAIL)
      await page.getByLabel('Password').fill(ADMIN_PASSWORD)
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.waitForURL((url) => url.origin === APP && url.pathname === '/', {
        timeout: 20_000,
      })
      await shows(/^Signed in as /)
      // auth.fetch sent the access token: the app's API answered its orders.
      await expect.poll(() => page.locator('#orders').textContent()).toBe('2 orders')

      // Tokens live in memory: a reload restores the session through the silent callback page.
      await page.reload()
      await shows(/^Signed in as /)

      // Sign out ends the session at the provider and comes back to the app.
      const endSession = page.waitForRequest((r) => r.url().startsWith(`${SERVER}/end_session`))
      const backHome = page.waitForResponse((r) => {
        const url = new URL(r.url())
        return r.request().isNavigationRequest() && url.origin === APP && url.pathname === '/'
      })
      await page.getByRole('button', { name: 'Sign out' }).click()
      await endSession
      await backHome
      await shows('Signed out')
      await page.reload()
      await shows('Signed out')
      expect(errors).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
