import type { BrowserContext, Page } from 'playwright-core'
import { launchBrowser } from './browser'
import { SERVER, SPA } from './stack'

// Driving the demo SPA (demo-spa/) in headless Chromium: sign-in through its buttons, and what
// its page shows (the renewal log's entries carry data attributes for this).

export const ADMIN_EMAIL = 'admin@demo.example'
export const ADMIN_PASSWORD = 'demo-admin-password'
export const TENANT_ID = '6f2c4e1a-3b5d-4c7e-9f10-2a3b4c5d6e7f'
export const ADMIN_CLIENT_ID = '0b9d8f2e-7a6c-4e5d-8b1a-9c0d1e2f3a4b'
export const ADMIN_CLIENT_SECRET = 'demo-admin-client-secret-change-me-0123456789'

/** One entry of the SPA's renewal log (`#renewal-log li`). */
export interface LogEntry {
  kind: string
  code?: string
  durationMs?: number
  network?: boolean
  by?: string
  text: string
}

/** A fresh browser profile for the test, closed whatever happens. */
export async function withBrowser<T>(test: (context: BrowserContext) => Promise<T>): Promise<T> {
  const browser = await launchBrowser()
  try {
    return await test(browser.context)
  } finally {
    await browser.close()
  }
}

/** Waits until the SPA has finished looking for a session (it shows Sign in or Sign out). */
export async function waitForSessionCheck(page: Page): Promise<void> {
  await page.locator('#account button').first().waitFor({ state: 'visible', timeout: 20_000 })
}

/**
 * Signs in through the SPA: its Sign in button (a top-level redirect), the server's sign-in page,
 * back to the SPA, which then shows the user's email (read from userinfo).
 */
export async function signInThroughSpa(
  page: Page,
  options: { spa?: string; email?: string; password?: string; path?: string } = {},
): Promise<void> {
  const { spa = SPA, email = ADMIN_EMAIL, password = ADMIN_PASSWORD, path = '/' } = options
  await page.goto(`${spa}${path}`)
  await waitForSessionCheck(page)
  // Exactly "Sign in": "Sign in with popup" is next to it.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  // The first sign-in on a freshly started stack waits for the worker's and Vite's first
  // requests (cold isolate, module transforms) while the stack is still settling.
  await page
    .getByLabel('Email')
    .waitFor({ timeout: 40_000 })
    .catch(async (error: unknown) => {
      const body = await page
        .locator('body')
        .textContent()
        .catch(() => '')
      const text = (body ?? '').slice(0, 500)
      throw new Error(`no sign-in page at ${page.url()}: ${text}`, { cause: error })
    })
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((url) => url.origin === spa && url.pathname !== '/callback', {
    timeout: 20_000,
  })
  await waitForEmail(page, email)
}

/** Waits until the session page shows `email`. */
export async function waitForEmail(page: Page, email = ADMIN_EMAIL): Promise<void> {
  await page
    .locator('#user-email', { hasText: email })
    .waitFor({ state: 'visible', timeout: 20_000 })
}

/** The renewal log, newest first. */
export function readLog(page: Page): Promise<LogEntry[]> {
  return page.locator('#renewal-log li[data-kind]').evaluateAll((items) =>
    items.map((item) => {
      const data = (item as HTMLElement).dataset
      return {
        kind: data.kind ?? '',
        code: data.code,
        durationMs: data.durationMs === undefined ? undefined : Number(data.durationMs),
        network: data.network === undefined ? undefined : data.network === 'true',
        by: data.by,
        text: item.textContent ?? '',
      }
    }),
  )
}

/** Waits for the log to hold `count` entries that match, and answers them (newest first). */
export async function waitForLog(
  page: Page,
  match: (entry: LogEntry) => boolean,
  count = 1,
  timeoutMs = 15_000,
): Promise<LogEntry[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const entries = (await readLog(page)).filter(match)
    if (entries.length >= count) return entries
    if (Date.now() > deadline) {
      throw new Error(
        `the renewal log of ${page.url()} did not show the expected entry within ${timeoutMs} ms: ` +
          JSON.stringify(await readLog(page)),
      )
    }
    await page.waitForTimeout(100)
  }
}

/** The access token's `jti` the session page shows. */
export async function tokenId(page: Page): Promise<string> {
  return ((await page.locator('#token-id').textContent()) ?? '').trim()
}

/** Counts the silent renewal requests (`/authorize` with `prompt=none`) of the context. */
export function countSilentAuthorizations(context: BrowserContext, server = SERVER) {
  const requests: string[] = []
  const onRequest = (request: { url(): string }) => {
    const url = new URL(request.url())
    if (
      url.origin === server &&
      url.pathname === '/authorize' &&
      url.searchParams.get('prompt') === 'none'
    )
      requests.push(url.href)
  }
  context.on('request', onRequest)
  return {
    requests,
    stop: () => context.off('request', onRequest),
  }
}

/** Clicks Renew now in every page at the same instant (a timer set in each page). */
export async function pressRenewNowTogether(pages: Page[], inMs = 500): Promise<void> {
  const at = Date.now() + inMs
  await Promise.all(
    pages.map((page) =>
      page.evaluate((time) => {
        const button = Array.from(document.querySelectorAll('button')).find(
          (candidate) => candidate.textContent === 'Renew now',
        )
        if (!button) throw new Error('no Renew now button')
        setTimeout(() => button.click(), Math.max(0, time - Date.now()))
      }, at),
    ),
  )
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())))
}
