import { describe, expect, it } from 'vitest'
import {
  ADMIN_EMAIL,
  countSilentAuthorizations,
  signInThroughSpa,
  tokenId,
  waitForLog,
  withBrowser,
} from './helpers/spa'
import { SERVER, SPA } from './helpers/stack'

// The demo SPA against `npm start` in the same-site layout (app on localhost:5173, server on
// localhost:8787, like app.example.com and auth.example.com): the browser sends the server's
// session cookie to the hidden iframe, so silent renewal works (issue 7, "Tests").

describe('demo SPA: sign-in and silent renewal (same site)', () => {
  it('signs in by a top-level redirect and shows the email read from userinfo', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      expect(new URL(page.url()).pathname).toBe('/')
      expect(await page.locator('#user-email').textContent()).toBe(ADMIN_EMAIL)
      await expect
        .poll(() => page.locator('#token-countdown').textContent())
        .toMatch(/^\(\d+ min \d+ s left\)$/)
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true)
      expect(await page.getByRole('button', { name: 'Renew now' }).isVisible()).toBe(true)
    })
  })

  it('renews in a hidden iframe on Renew now: a new token, logged, and the page never navigates', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      const before = await tokenId(page)
      expect(before).toMatch(/\S/)
      let navigations = 0
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations++
      })
      await page.evaluate(() => {
        ;(window as unknown as { marker: string }).marker = 'same document'
      })
      const silent = countSilentAuthorizations(context)
      const fromFrames: boolean[] = []
      page.on('request', (request) => {
        if (request.url().startsWith(`${SERVER}/authorize`))
          fromFrames.push(request.frame() !== page.mainFrame())
      })

      await page.getByRole('button', { name: 'Renew now' }).click()
      const [renewed] = await waitForLog(page, (entry) => entry.kind === 'renewed')

      expect(renewed?.network).toBe(true)
      expect(renewed?.durationMs).toBeGreaterThan(0)
      await expect.poll(() => tokenId(page)).not.toBe(before)
      expect(silent.requests).toHaveLength(1)
      expect(fromFrames).toEqual([true])
      expect(navigations).toBe(0)
      expect(await page.evaluate(() => (window as unknown as { marker: string }).marker)).toBe(
        'same document',
      )
      expect(page.url()).toBe(`${SPA}/`)
      expect(await page.locator('iframe').count()).toBe(0) // the library removed its iframe
    })
  })

  it('reports interaction_required when the server session has ended, and stays signed in', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)

      // End the session at the server, as another site's sign-out would (RP-Initiated Logout
      // without an id_token_hint asks first).
      const other = await context.newPage()
      await other.goto(`${SERVER}/end_session`)
      await other.getByRole('button', { name: 'Sign out' }).click()
      await other.getByText('You are signed out').waitFor()
      await other.close()

      await page.getByRole('button', { name: 'Renew now' }).click()
      const [failed] = await waitForLog(page, (entry) => entry.kind === 'failed')
      expect(failed?.code).toBe('interaction_required')
      expect(await page.locator('#renewal-error-code').textContent()).toBe('interaction_required')
      expect(await page.getByRole('alert').first().textContent()).toContain('sign in again')

      // The library never signs out on its own: the page keeps the user until they act.
      await page.waitForTimeout(1500)
      expect(await page.locator('#user-email').textContent()).toBe(ADMIN_EMAIL)
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true)
      expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(
        true,
      )
      const kinds = (await waitForLog(page, () => true)).map((entry) => entry.kind)
      expect(kinds).not.toContain('signed-out')
    })
  })
})
