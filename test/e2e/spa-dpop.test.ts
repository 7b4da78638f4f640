import type { Page, Request } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  signInThroughSpa,
  TENANT_ID,
  tokenId,
  waitForLog,
  withBrowser,
} from './helpers/spa'
import { SERVER, SPA } from './helpers/stack'

// DPoP in the browser (RFC 9449, issue 15) against `npm start`: the demo SPA with its DPoP
// setting on signs in, renews and calls the management API through @edge-identity/client-lib/dpop
// (a non-extractable key in IndexedDB); the access token it holds is refused as a Bearer token.

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).textContent()) ?? '').trim()

/** The claims of a JWT (unverified: the server checked it). */
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
    cnf?: { jkt?: string }
    jti?: string
  }

/** The management API requests the page makes, with their headers and answers. */
function watchApi(page: Page) {
  const calls: { url: string; authorization: string; dpop: string | undefined; status: number }[] =
    []
  page.on('requestfinished', async (request: Request) => {
    if (!request.url().startsWith(`${SERVER}/api/v1/`) || request.method() === 'OPTIONS') return
    const headers = await request.allHeaders()
    calls.push({
      url: request.url(),
      authorization: headers.authorization ?? '',
      dpop: headers.dpop,
      status: (await request.response())?.status() ?? 0,
    })
  })
  return calls
}

/** An authorization-code client as the management API answers it (the demo's admin client). */
async function readClient(id: string): Promise<{ name: string; requireDpop: boolean }> {
  const token = (await (
    await fetch(`${SERVER}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa(`${ADMIN_CLIENT_ID}:${ADMIN_CLIENT_SECRET}`)}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
  ).json()) as { access_token: string }
  const response = await fetch(
    `${SERVER}/api/v1/tenants/${TENANT_ID}/authorization-code-clients/${id}`,
    { headers: { Authorization: `Bearer ${token.access_token}` } },
  )
  expect(response.status).toBe(200)
  return (await response.json()) as { name: string; requireDpop: boolean }
}

describe('demo SPA with DPoP (RFC 9449) in Chromium', () => {
  it('binds its tokens to one IndexedDB key across renewals and reloads; the API accepts them only as DPoP', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page, { path: '/?dpop=1' })
      expect(await page.locator('#dpop').isChecked()).toBe(true)
      await expect.poll(() => text(page, '#token-type')).toBe('DPoP')
      const jkt = await text(page, '#token-jkt')
      expect(jkt).toMatch(/^[\w-]{43}$/)

      // Renew now: a new token, bound to the same key.
      const before = await tokenId(page)
      await page.getByRole('button', { name: 'Renew now' }).click()
      await waitForLog(page, (entry) => entry.kind === 'renewed')
      await expect.poll(() => tokenId(page)).not.toBe(before)
      expect(await text(page, '#token-type')).toBe('DPoP')
      expect(await text(page, '#token-jkt')).toBe(jkt)

      // The portal's clients list, through auth.fetch: Authorization: DPoP with a proof.
      const calls = watchApi(page)
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Clients', exact: true })
        .click()
      await page.getByRole('heading', { level: 2, name: 'Clients', exact: true }).waitFor()
      await page
        .getByRole('table')
        .or(page.getByText(/^No .* clients yet\.$/))
        .first()
        .waitFor()
      await expect.poll(() => calls.length).toBeGreaterThan(0)
      const call = calls.find((c) => c.url.includes(`/tenants/${TENANT_ID}/`))
      expect(call).toMatchObject({ status: 200, authorization: expect.stringMatching(/^DPoP /) })
      expect(call?.dpop).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
      const accessToken = call?.authorization.slice('DPoP '.length) ?? ''
      expect(claimsOf(accessToken).cnf?.jkt).toBe(jkt)

      // The same token replayed as Bearer, from Node: refused (RFC 9449 §7.2).
      const replayed = await fetch(`${SERVER}/api/v1/tenants/${TENANT_ID}/hybrid-clients`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      })
      expect(replayed.status).toBe(401)
      expect(replayed.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/)
      // And with the browser's own proof replayed: refused too (single use, §11.1).
      const withProof = await fetch(call?.url ?? '', {
        headers: { Authorization: `DPoP ${accessToken}`, DPoP: call?.dpop ?? '' },
      })
      expect(withProof.status).toBe(401)

      // A reload: tokens are in memory, so the session is restored silently, with the same key.
      await page.goto(`${SPA}/`)
      await expect.poll(() => text(page, '#token-type'), { timeout: 20_000 }).toBe('DPoP')
      expect(await text(page, '#token-jkt')).toBe(jkt)
      expect(claimsOf(accessToken).jti).not.toBe(await tokenId(page))

      // The key in IndexedDB is a CryptoKey no script can export.
      const exported = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const open = indexedDB.open('edge-identity-dpop')
            open.onsuccess = () => {
              const get = open.result.transaction('keys').objectStore('keys').get('default')
              get.onsuccess = () => {
                const keys = get.result as CryptoKeyPair
                crypto.subtle.exportKey('jwk', keys.privateKey).then(
                  () => resolve('exported'),
                  (error: Error) => resolve(`${keys.privateKey.extractable}:${error.name}`),
                )
              }
            }
          }),
      )
      expect(exported).toBe('false:InvalidAccessError')

      // Sign-out: the next sign-in binds a new key.
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.locator('#signed-out').waitFor({ timeout: 20_000 })
      await signInThroughSpa(page)
      await expect.poll(() => text(page, '#token-type')).toBe('DPoP')
      const next = await text(page, '#token-jkt')
      expect(next).toMatch(/^[\w-]{43}$/)
      expect(next).not.toBe(jkt)
    })
  })

  it('keeps Require DPoP of a client when the portal saves another field (PUT replaces the client)', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      const name = `DPoP app ${Date.now()}`
      await page.goto(`${SPA}/clients/new?type=authorization-code`)
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name)
      await page
        .getByRole('textbox', { name: 'Allowed Redirect URL(s)' })
        .fill('https://dpop.example.com/callback')
      await page.getByRole('checkbox', { name: 'Require DPoP' }).check()
      await page.getByRole('button', { name: 'Save' }).click()
      const row = page
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
      await row.waitFor()
      const id = ((await row.getByRole('cell').first().textContent()) ?? '').trim()
      expect(await readClient(id)).toMatchObject({ name, requireDpop: true })

      // Details: another field edited and saved; the requirement stays on.
      await row.getByRole('link', { name }).click()
      await page.getByRole('heading', { level: 2, name, exact: true }).waitFor()
      const requireDpop = page.getByRole('checkbox', { name: 'Require DPoP' })
      expect(await requireDpop.isChecked()).toBe(true)
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`${name} renamed`)
      await page.getByRole('button', { name: 'Save' }).click()
      await expect.poll(async () => (await readClient(id)).name).toBe(`${name} renamed`)
      expect((await readClient(id)).requireDpop).toBe(true)

      // Only its own checkbox turns it off.
      await requireDpop.uncheck()
      await page.getByRole('button', { name: 'Save' }).click()
      await expect.poll(async () => (await readClient(id)).requireDpop).toBe(false)
    })
  })
})
