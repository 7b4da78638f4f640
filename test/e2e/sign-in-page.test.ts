import { describe, expect, it } from 'vitest'
import { axeViolations } from './helpers/axe'
import { launchBrowser } from './helpers/browser'
import { SERVER } from './helpers/stack'

const SPA_CLIENT_ID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d'

/** An authorization request of the demo SPA: the server answers it with its sign-in page. */
function authorizeUrl(extra: Record<string, string> = {}): string {
  return `${SERVER}/authorize?${new URLSearchParams({
    client_id: SPA_CLIENT_ID,
    redirect_uri: 'http://localhost:5173/callback',
    response_type: 'code',
    scope: 'openid',
    state: 'accessibility',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...extra,
  })}`
}

describe('sign-in page in Chromium (accessibility)', () => {
  it('has no WCAG 2.1 A/AA violations (axe-core), with and without an error shown', async () => {
    // CSP bypass only lets the test inject axe-core; the page itself runs no script.
    const browser = await launchBrowser({ bypassCSP: true })
    try {
      const page = await browser.context.newPage()
      await page.goto(authorizeUrl())
      expect(await axeViolations(page)).toEqual([])
      await page.getByLabel('Email').fill('nobody@demo.example')
      await page.getByLabel('Password').fill('wrong password')
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('incorrect')
      expect(await axeViolations(page)).toEqual([])
    } finally {
      await browser.close()
    }
  })

  it('is usable from the keyboard: focus starts on Email, then Password, then Sign in', async () => {
    const browser = await launchBrowser()
    try {
      const page = await browser.context.newPage()
      await page.goto(authorizeUrl({ login_hint: 'admin@demo.example' }))
      const focused = () =>
        page.evaluate(
          () => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent,
        )
      expect(await focused()).toBe('email')
      await page.keyboard.press('Tab')
      expect(await focused()).toBe('password')
      await page.keyboard.type('demo-admin-password')
      await page.keyboard.press('Tab')
      expect(await focused()).toBe('Sign in')
      await page.keyboard.press('Enter')
      await page.waitForURL(/^http:\/\/localhost:5173\/callback\?code=/)
    } finally {
      await browser.close()
    }
  })
})
