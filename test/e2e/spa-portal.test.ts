import { describe, expect, it } from 'vitest'
import { axeViolations } from './helpers/axe'
import { browserAvailable } from './helpers/browser'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  signInThroughSpa,
  TENANT_ID,
  withBrowser,
} from './helpers/spa'
import { SERVER } from './helpers/stack'

// The clients portal of the demo SPA, as an Account Administrator uses it, against `npm start`.

function tokenRequest(clientId: string, secret: string): Promise<Response> {
  return fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
}

/** A user of the demo tenant with only Account Member, created through the management API. */
async function createMember(): Promise<{ email: string; password: string }> {
  const token = (await (await tokenRequest(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET)).json()) as {
    access_token: string
  }
  const email = `member-${Date.now()}@demo.example`
  const password = 'correct-horse-battery-staple-42'
  const response = await fetch(`${SERVER}/api/v1/tenants/${TENANT_ID}/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, name: 'Member', password }),
  })
  expect(response.status, await response.clone().text()).toBe(201)
  return { email, password }
}

describe.runIf(browserAvailable())('demo SPA: clients portal', () => {
  it('creates a client-credentials client, shows its secret once, and the secret gets tokens', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Clients' })
        .click()
      await page.getByRole('link', { name: 'Add client-credentials client' }).click()

      // The API's field errors appear next to the fields (RFC 9457 problem details).
      await page.getByRole('button', { name: 'Create client' }).click()
      const name = page.getByLabel('Name', { exact: true })
      await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true')
      expect(await page.getByText('Error: Required').isVisible()).toBe(true)
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name')

      await name.fill('Boiler 7 (portal e2e)')
      await page.getByLabel('Secret description').fill('first')
      await page.getByRole('button', { name: 'Create client' }).click()

      const dialog = page.getByRole('dialog', { name: 'Client created' })
      await dialog.waitFor()
      expect(await dialog.textContent()).toContain('only time the secret is shown')
      const clientId = await dialog.getByLabel('Client id', { exact: true }).inputValue()
      const secret = await dialog.getByLabel('Client secret', { exact: true }).inputValue()
      expect(secret.length).toBeGreaterThanOrEqual(43)
      expect(await dialog.getByRole('button', { name: 'Copy client secret' }).isVisible()).toBe(
        true,
      )

      const response = await tokenRequest(clientId, secret)
      expect(response.status).toBe(200)
      const body = (await response.json()) as { access_token: string; token_type: string }
      expect(body.token_type).toBe('Bearer')
      expect(body.access_token.split('.')).toHaveLength(3)

      await dialog.getByRole('button', { name: 'Close' }).click()
      await page.getByRole('heading', { level: 2, name: 'Boiler 7 (portal e2e)' }).waitFor()
      expect(await page.locator('#client-id').inputValue()).toBe(clientId)
      await page.getByRole('table').getByRole('rowheader', { name: 'first' }).waitFor()
      // Once closed, the secret is nowhere in the page.
      expect(await page.content()).not.toContain(secret)
    })
  })

  it('hides the portal from a user who is not an Account Administrator and says why', async () => {
    const member = await createMember()
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page, member)
      const nav = page.getByRole('navigation', { name: 'Main' })
      expect(await nav.getByRole('link', { name: 'Clients' }).count()).toBe(0)
      expect(await page.getByText('it is for Account Administrators').isVisible()).toBe(true)

      await page.goto(page.url().replace(/\/$/, '/clients'))
      await page.getByText('only for Account Administrators').waitFor({ timeout: 20_000 })
    })
  })

  it('has no WCAG 2.1 A/AA violations (axe-core) on the session page and the portal pages', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      const seen: Record<string, string[]> = { session: await axeViolations(page) }
      const nav = page.getByRole('navigation', { name: 'Main' })
      for (const link of ['Clients', 'Roles', 'Users', 'Audit log']) {
        await nav.getByRole('link', { name: link }).click()
        await page.locator('#page-heading', { hasText: link }).waitFor()
        seen[link] = await axeViolations(page)
      }
      await page.goto(page.url().replace(/\/audit$/, '/clients/new?kind=authorization-code'))
      await page.getByRole('button', { name: 'Create client' }).click()
      await page.getByText('Error: Required').waitFor({ timeout: 20_000 })
      seen['form with field errors'] = await axeViolations(page)
      expect(seen).toEqual({
        session: [],
        Clients: [],
        Roles: [],
        Users: [],
        'Audit log': [],
        'form with field errors': [],
      })
    })
  })
})
