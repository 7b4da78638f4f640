import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  countSilentAuthorizations,
  pressRenewNowTogether,
  readLog,
  signInThroughSpa,
  tokenId,
  waitForEmail,
  waitForLog,
  withBrowser,
} from './helpers/spa'
import { SPA } from './helpers/stack'

// Three tabs of the demo SPA in one browser profile (one context, three pages): the library
// renews once for all of them (Web Locks + BroadcastChannel) and signs them all out together.

/** Signs in in the first tab; the others restore the session silently when they open. */
async function threeSignedInTabs(context: BrowserContext): Promise<Page[]> {
  const first = await context.newPage()
  await signInThroughSpa(first)
  const others = [await context.newPage(), await context.newPage()]
  for (const page of others) {
    await page.goto(`${SPA}/`)
    await waitForEmail(page)
  }
  return [first, ...others]
}

describe('demo SPA: several tabs', () => {
  it('renews once over the network when Renew now is pressed in three tabs at once', async () => {
    await withBrowser(async (context) => {
      const tabs = await threeSignedInTabs(context)
      // Let the restore broadcasts settle, then count from a quiet start.
      await tabs[0]?.waitForTimeout(500)
      const renewedBefore = await Promise.all(
        tabs.map(async (tab) => (await readLog(tab)).filter((e) => e.kind === 'renewed').length),
      )
      const silent = countSilentAuthorizations(context)

      await pressRenewNowTogether(tabs)
      const latest = await Promise.all(
        tabs.map(async (tab, index) => {
          const renewed = await waitForLog(
            tab,
            (entry) => entry.kind === 'renewed',
            (renewedBefore[index] ?? 0) + 1,
          )
          return renewed[0]
        }),
      )
      await tabs[0]?.waitForTimeout(1000) // a second renewal would have started by now
      silent.stop()

      expect(silent.requests).toHaveLength(1)
      expect(latest.filter((entry) => entry?.network)).toHaveLength(1)
      const worker = latest.find((entry) => entry?.network)?.by
      expect(latest.map((entry) => entry?.by)).toEqual([worker, worker, worker])
      const ids = await Promise.all(tabs.map(tokenId))
      expect(new Set(ids).size).toBe(1)
    })
  })

  it('signs every tab out when one tab signs out', async () => {
    await withBrowser(async (context) => {
      const [first, ...others] = await threeSignedInTabs(context)
      if (!first) throw new Error('no tab')

      await first.getByRole('button', { name: 'Sign out' }).click()
      for (const page of others) {
        await page
          .getByRole('button', { name: 'Sign in', exact: true })
          .waitFor({ timeout: 10_000 })
        await waitForLog(page, (entry) => entry.kind === 'signed-out')
        expect(await page.locator('#user-email').count()).toBe(0)
        expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0)
      }
      // The signing-out tab went through end_session and came back signed out.
      await first.waitForURL(`${SPA}/`, { timeout: 15_000 })
      await first.locator('#signed-out').waitFor({ timeout: 15_000 })
      // The server's session is gone too: a fresh tab finds none.
      const fresh = await context.newPage()
      await fresh.goto(`${SPA}/`)
      await fresh.locator('#signed-out').waitFor({ timeout: 15_000 })
    })
  })
})
