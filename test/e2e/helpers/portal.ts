import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, TENANT_ID } from './spa'
import { ROOT, SERVER } from './stack'

// Driving the clients portal of the demo SPA by role and accessible name, with the mouse or with
// the keyboard only: the same story runs with either driver.

/** How a test acts on the page: clicks and fills, or Tab, Enter, Space, arrows and typing. */
export interface Driver {
  readonly name: 'mouse' | 'keyboard'
  /** Activates a button, link or tab. */
  press(target: Locator): Promise<void>
  /** Replaces a text field's value. */
  fill(target: Locator, text: string): Promise<void>
  /** Toggles a checkbox. */
  toggle(target: Locator): Promise<void>
  /** Chooses the option of a select by its label. */
  choose(target: Locator, label: string): Promise<void>
}

const isFocused = (target: Locator) =>
  target.evaluate((element) => element === document.activeElement)

/**
 * The keyboard-only driver: it moves the focus with Tab (then Shift+Tab) until the target has
 * it, as a keyboard user does, and never clicks. Fails when the target cannot be reached.
 */
export function keyboardDriver(page: Page): Driver {
  async function reach(target: Locator): Promise<void> {
    await target.waitFor({ state: 'visible' })
    // A dialog that just opened moves the focus into itself after the next frame; a keyboard
    // user starts from there, and a Tab pressed before it would race with it.
    await page.waitForFunction(() => {
      const open = document.querySelector('dialog[open]')
      return !open || open.contains(document.activeElement)
    })
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let presses = 0; presses < 120; presses++) {
        if (await isFocused(target)) return
        await page.keyboard.press(key)
      }
    }
    throw new Error(`the keyboard cannot reach ${target}`)
  }
  return {
    name: 'keyboard',
    async press(target) {
      await reach(target)
      await page.keyboard.press('Enter')
    },
    async fill(target, text) {
      await reach(target)
      await page.keyboard.press('ControlOrMeta+A')
      await page.keyboard.press('Delete')
      await page.keyboard.type(text)
    },
    async toggle(target) {
      await reach(target)
      await page.keyboard.press('Space')
    },
    async choose(target, label) {
      await reach(target)
      for (const key of ['ArrowDown', 'ArrowUp']) {
        for (let presses = 0; presses < 10; presses++) {
          const selected = await target.evaluate(
            (select) => (select as HTMLSelectElement).selectedOptions[0]?.label,
          )
          if (selected === label) return
          await page.keyboard.press(key)
        }
      }
      throw new Error(`the keyboard cannot choose ${label} in ${target}`)
    },
  }
}

/** The pointer driver: clicks, fills and selects. */
export function mouseDriver(): Driver {
  return {
    name: 'mouse',
    press: (target) => target.click(),
    fill: (target, text) => target.fill(text),
    toggle: (target) => target.click(),
    choose: async (target, label) => {
      await target.selectOption({ label })
    },
  }
}

/** Where the README's screenshots go (demo-spa/docs/screenshots), when asked for. */
const SCREENSHOTS = path.join(ROOT, 'demo-spa/docs/screenshots')

/**
 * Saves a screenshot of the page for the demo SPA's README when PORTAL_SCREENSHOTS=1 (so that a
 * normal test run leaves the work tree unchanged).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.PORTAL_SCREENSHOTS !== '1') return
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** The management API as the demo's administrator client, to check what the portal did. */
export async function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const basic = btoa(
    `${encodeURIComponent(ADMIN_CLIENT_ID)}:${encodeURIComponent(ADMIN_CLIENT_SECRET)}`,
  )
  const issued = await fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  const token = (await issued.json()) as { access_token: string }
  const response = await fetch(`${SERVER}/api/v1/tenants/${TENANT_ID}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  expect(response.ok, await response.clone().text()).toBe(true)
  return (await response.json()) as T
}
