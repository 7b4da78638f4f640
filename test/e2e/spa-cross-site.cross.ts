import { describe, expect, it } from 'vitest'
import { CROSS_SITE_SERVER } from './helpers/cross-site-stack'
import {
  ADMIN_EMAIL,
  countSilentAuthorizations,
  signInThroughSpa,
  tokenId,
  waitForEmail,
  waitForLog,
  waitForSessionCheck,
  withBrowser,
} from './helpers/spa'
import { SPA } from './helpers/stack'

// The demo SPA on http://localhost:5173 with the identity server on http://127.0.0.1:8787:
// cross-site, so Chromium (third-party cookies blocked by default) sends no session cookie to
// the hidden iframe. Silent renewal must fail with the library's third_party_cookies_unavailable
// error, and the opt-in top-level prompt=none fallback must renew and come back to the same place.

describe('demo SPA: cross-site identity server (127.0.0.1)', () => {
  it('signs in top-level, then a silent renewal fails with third_party_cookies_unavailable', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page, { path: '/?fallback=0' })
      const before = await tokenId(page)
      const silent = countSilentAuthorizations(context, CROSS_SITE_SERVER)

      await page.getByRole('button', { name: 'Renew now' }).click()
      const [failed] = await waitForLog(page, (entry) => entry.kind === 'failed')

      expect(failed?.code).toBe('third_party_cookies_unavailable')
      expect(await page.locator('#renewal-error-code').textContent()).toBe(
        'third_party_cookies_unavailable',
      )
      expect(silent.requests).toHaveLength(1) // tried once in the iframe, not retried
      // Still signed in with the same token: the failure signs nobody out.
      expect(await page.locator('#user-email').textContent()).toBe(ADMIN_EMAIL)
      expect(await tokenId(page)).toBe(before)
      expect(new URL(page.url()).origin).toBe(SPA)
    })
  })

  it('renews by a top-level prompt=none redirect with topLevelFallback and returns to the same place', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page, { path: '/?fallback=1' })
      expect(await page.locator('#top-level-fallback').isChecked()).toBe(true)
      const before = await tokenId(page)
      // Somewhere with a query and a fragment, without a page load (tokens live in memory).
      const place = `${SPA}/?fallback=1&view=log#renewal-log`
      await page.evaluate((url) => history.replaceState(null, '', url), place)

      const topLevel: string[] = []
      page.on('request', (request) => {
        if (request.isNavigationRequest() && request.frame() === page.mainFrame())
          topLevel.push(request.url())
      })
      await page.getByRole('button', { name: 'Renew now' }).click()

      await page.waitForURL(place, { timeout: 20_000 })
      await waitForEmail(page)
      await expect.poll(() => tokenId(page)).not.toBe(before)
      const [renewed] = await waitForLog(page, (entry) => entry.kind === 'renewed')
      expect(renewed?.text).toContain('top-level prompt=none redirect')
      const [failed] = await waitForLog(page, (entry) => entry.kind === 'failed')
      expect(failed?.code).toBe('third_party_cookies_unavailable')
      // The tab itself went to the authorization endpoint with prompt=none, then to the
      // callback, and the app put it back where it was.
      const [authorize, callback, ...rest] = topLevel.map((url) => new URL(url))
      expect(authorize?.origin + (authorize?.pathname ?? '')).toBe(`${CROSS_SITE_SERVER}/authorize`)
      expect(authorize?.searchParams.get('prompt')).toBe('none')
      expect(callback?.href.startsWith(`${SPA}/callback?code=`)).toBe(true)
      expect(rest).toEqual([])
      expect(page.url()).toBe(place)
    })
  })

  it('without a session, a returning visitor is tried once by iframe, once by fallback, and the page shows Sign in (no loop)', async () => {
    await withBrowser(async (context) => {
      // A visitor who signed in here before (the library keeps a hint), whose session at the
      // server has ended since. A first-time visitor costs no request at all (issue 12).
      const page = await context.newPage()
      await signInThroughSpa(page, { path: '/?fallback=1' })
      const other = await context.newPage()
      await other.goto(`${CROSS_SITE_SERVER}/end_session`)
      await other.getByRole('button', { name: 'Sign out' }).click()
      await other.getByText('You are signed out').waitFor()
      await other.close()
      const silent = countSilentAuthorizations(context, CROSS_SITE_SERVER)
      await page.reload()
      await waitForSessionCheck(page)
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
      await page.waitForTimeout(1500)
      // One iframe attempt, one top-level attempt, then nothing more.
      expect(silent.requests).toHaveLength(2)
      expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(
        true,
      )
    })
  })
})
