import type { BrowserContext, Page, Route } from 'playwright-core'
import { expect, it } from 'vitest'
import { readLog, waitForLog, withBrowser } from './spa'

// The "Done when" of issue 12 (client-lib 1.0) as scenarios of the demo SPA against an OpenID
// provider. Each takes the provider under test, so the same scenarios run against edge-identity
// (`npm start`) and, later, against a second, independent provider (node-oidc-provider) serving
// the same demo SPA.

/** An OpenID provider with the demo SPA configured against it. */
export interface ProviderUnderTest {
  /** For test titles. */
  name: string
  /** The issuer identifier (its discovery document is at /.well-known/openid-configuration). */
  issuer: string
  /** Origin of the demo SPA configured for this provider. */
  spa: string
  /** The email the session page shows once `signIn` has run. */
  email: string
  /** Signs in on the provider's own page (already open in `page`), up to its redirect back. */
  signIn(page: Page): Promise<void>
}

/** The provider's endpoints, from its discovery document. */
async function endpoints(provider: ProviderUnderTest) {
  const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`)
  return (await response.json()) as { token_endpoint: string; authorization_endpoint: string }
}

/** Waits until the SPA has finished looking for a session (it shows Sign in or Sign out). */
async function sessionChecked(page: Page): Promise<void> {
  await page.locator('#account button').first().waitFor({ state: 'visible', timeout: 20_000 })
}

/** Signs in through the SPA's Sign in button (a top-level redirect) and the provider's page. */
export async function signInByRedirect(page: Page, provider: ProviderUnderTest): Promise<void> {
  await page.goto(`${provider.spa}/`)
  await sessionChecked(page)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await provider.signIn(page)
  await page.waitForURL((url) => url.origin === provider.spa && url.pathname !== '/callback', {
    timeout: 20_000,
  })
  await signedIn(page, provider)
}

async function signedIn(page: Page, provider: ProviderUnderTest): Promise<void> {
  await page
    .locator('#user-email', { hasText: provider.email })
    .waitFor({ state: 'visible', timeout: 20_000 })
}

/** Requests to the provider's authorization endpoint (any prompt) made by `context`. */
async function countAuthorizations(context: BrowserContext, provider: ProviderUnderTest) {
  const endpoint = (await endpoints(provider)).authorization_endpoint
  const requests: string[] = []
  context.on('request', (request) => {
    if (request.url().split('?')[0] === endpoint) requests.push(request.url())
  })
  return requests
}

const renewedCount = async (page: Page) =>
  (await readLog(page)).filter((entry) => entry.kind === 'renewed').length
const failedCount = async (page: Page) =>
  (await readLog(page)).filter((entry) => entry.kind === 'failed').length

/**
 * A hung token endpoint (the request held, never answered) makes Renew now fail with `timeout`
 * within the library's deadline in the tab that renews and in the tab that waits for it; once the
 * endpoint answers again, one Renew now renews every tab.
 */
export async function hungTokenEndpoint(
  context: BrowserContext,
  provider: ProviderUnderTest,
): Promise<void> {
  const first = await context.newPage()
  await signInByRedirect(first, provider)
  const second = await context.newPage()
  await second.goto(`${provider.spa}/`)
  await signedIn(second, provider)
  await first.waitForTimeout(500) // the restore broadcasts settle

  const held: Route[] = []
  let holding = true
  await context.route((await endpoints(provider)).token_endpoint, (route) => {
    if (holding)
      held.push(route) // never answered: a server that hangs
    else void route.continue()
  })
  const failedBefore = await Promise.all([first, second].map(failedCount))
  await first.getByRole('button', { name: 'Renew now' }).click()
  await expect.poll(() => held.length, { timeout: 15_000 }).toBe(1)
  await second.getByRole('button', { name: 'Renew now' }).click()
  // The default deadline is 10 s: both tabs answer well before 25 s.
  for (const [index, page] of [first, second].entries()) {
    const [failed] = await waitForLog(
      page,
      (entry) => entry.kind === 'failed',
      (failedBefore[index] ?? 0) + 1,
      25_000,
    )
    expect(failed?.code).toBe('timeout')
  }
  expect(held).toHaveLength(1) // the waiting tab adopted the failure instead of renewing again

  holding = false
  const renewedBefore = await Promise.all([first, second].map(renewedCount))
  await first.getByRole('button', { name: 'Renew now' }).click()
  for (const [index, page] of [first, second].entries()) {
    await waitForLog(page, (entry) => entry.kind === 'renewed', (renewedBefore[index] ?? 0) + 1)
  }
  const ids = await Promise.all(
    [first, second].map(async (page) => (await page.locator('#token-id').textContent())?.trim()),
  )
  expect(ids[0]).toBe(ids[1])
  await context.unroute('**')
}

/** A first-time visitor who loads, then reloads the SPA causes at most one authorization request. */
export async function firstVisitorReload(
  context: BrowserContext,
  provider: ProviderUnderTest,
): Promise<void> {
  const authorizations = await countAuthorizations(context, provider)
  const page = await context.newPage()
  await page.goto(`${provider.spa}/`)
  await sessionChecked(page)
  await page.reload()
  await sessionChecked(page)
  await page.waitForTimeout(1500) // a late silent request would have started by now
  expect(authorizations.length).toBeLessThanOrEqual(1)
  expect(await page.locator('#signed-out').isVisible()).toBe(true)
  expect(await page.locator('iframe').count()).toBe(0)
}

/**
 * Sign in with popup signs the SPA in without navigating it: the same document (a marker set
 * before survives), the same URL, and the app state carried through the sign-in shown in the log.
 */
export async function popupSignIn(
  context: BrowserContext,
  provider: ProviderUnderTest,
): Promise<void> {
  const page = await context.newPage()
  await page.goto(`${provider.spa}/?from=popup-test`)
  await sessionChecked(page)
  let navigations = 0
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++
  })
  await page.evaluate(() => {
    ;(window as unknown as { marker: string }).marker = 'same document'
  })
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Sign in with popup' }).click(),
  ])
  await provider.signIn(popup)
  await popup.waitForEvent('close', { timeout: 20_000 })
  await signedIn(page, provider)
  expect(navigations).toBe(0)
  expect(page.url()).toBe(`${provider.spa}/?from=popup-test`)
  expect(await page.evaluate(() => (window as unknown as { marker: string }).marker)).toBe(
    'same document',
  )
  const [carried] = await waitForLog(page, (entry) => entry.text.includes('App state carried'))
  expect(carried?.text).toContain('started on /?from=popup-test')
}

/** After Sign out and a reload, the SPA does not sign the user back in silently. */
export async function signOutSticks(
  context: BrowserContext,
  provider: ProviderUnderTest,
): Promise<void> {
  const page = await context.newPage()
  await signInByRedirect(page, provider)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL((url) => url.origin === provider.spa, { timeout: 20_000 })
  await page.locator('#signed-out').waitFor({ timeout: 20_000 })
  const authorizations = await countAuthorizations(context, provider)
  await page.reload()
  await sessionChecked(page)
  await page.waitForTimeout(1500) // a late silent request would have started by now
  expect(authorizations).toEqual([])
  expect(await page.locator('#signed-out').isVisible()).toBe(true)
}

/**
 * With the demo's web_message setting on (the library's `/web-message` transport), Renew now
 * renews through an authorization request with `response_mode=web_message` whose response page
 * posts to the SPA: no silent callback page is loaded. A popup sign-in uses the same mode.
 */
export async function webMessageRenewal(
  context: BrowserContext,
  provider: ProviderUnderTest,
): Promise<void> {
  const page = await context.newPage()
  await page.goto(`${provider.spa}/?webmessage=1`) // kept in this tab's sessionStorage
  await signInByRedirect(page, provider)
  const endpoint = (await endpoints(provider)).authorization_endpoint
  const silent: string[] = []
  const callbacks: string[] = []
  context.on('request', (request) => {
    const url = request.url()
    if (url.split('?')[0] === endpoint) silent.push(url)
    if (url.includes('/silent-callback.html')) callbacks.push(url)
  })
  const before = await renewedCount(page)
  await page.getByRole('button', { name: 'Renew now' }).click()
  await waitForLog(page, (entry) => entry.kind === 'renewed', before + 1)
  expect(silent).toHaveLength(1)
  const params = new URL(silent[0] as string).searchParams
  expect(params.get('response_mode')).toBe('web_message')
  expect(params.get('prompt')).toBe('none')
  expect(callbacks).toEqual([])

  const other = await context.browser()?.newContext()
  if (!other) throw new Error('no browser')
  try {
    const authorizations: URL[] = []
    other.on('request', (request) => {
      if (request.url().split('?')[0] === endpoint) authorizations.push(new URL(request.url()))
    })
    const second = await other.newPage()
    await second.goto(`${provider.spa}/?webmessage=1`)
    await sessionChecked(second)
    const [popup] = await Promise.all([
      other.waitForEvent('page'),
      second.getByRole('button', { name: 'Sign in with popup' }).click(),
    ])
    const closed = popup.waitForEvent('close', { timeout: 20_000 })
    // The response page posts to the opener and the library closes the popup: it never comes
    // back to the SPA's origin, which a provider's signIn may wait for.
    await provider.signIn(popup).catch((error) => {
      if (!popup.isClosed()) throw error
    })
    await closed
    await signedIn(second, provider)
    expect(authorizations.map((url) => url.searchParams.get('response_mode'))).toEqual([
      'web_message',
    ])
  } finally {
    await other.close()
  }
}

/**
 * Registers the scenarios above as tests of the current `describe`, each in a browser of its
 * own, against the provider `provider()` answers when the test runs (after `beforeAll`).
 */
export function clientLibScenarioTests(provider: () => ProviderUnderTest): void {
  it('a hung token endpoint makes Renew now fail within the deadline in every tab, and renewal recovers once it answers', async () => {
    await withBrowser((context) => hungTokenEndpoint(context, provider()))
  })

  it('a first-time visitor reloading the SPA causes at most one authorization request', async () => {
    await withBrowser((context) => firstVisitorReload(context, provider()))
  })

  it('Sign in with popup signs the SPA in without navigating it, carrying the app state', async () => {
    await withBrowser((context) => popupSignIn(context, provider()))
  })

  it('after Sign out and a reload, there is no silent sign-in', async () => {
    await withBrowser((context) => signOutSticks(context, provider()))
  })

  it('with response_mode=web_message, renewal and popup sign-in need no silent callback page', async () => {
    await withBrowser((context) => webMessageRenewal(context, provider()))
  })
}
