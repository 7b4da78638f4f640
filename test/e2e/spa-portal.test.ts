import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { ClientResource, Page as ListPage } from '../../worker/src/routes/api/resource-types'
import { axeViolations } from './helpers/axe'
import { adminApi, type Driver, keyboardDriver, mouseDriver, screenshot } from './helpers/portal'
import { signInThroughSpa, withBrowser } from './helpers/spa'
import { SERVER, SPA } from './helpers/stack'

// The clients portal of the demo SPA against `npm start`: the seed's three stories
// (../shared/seed/clients.md) by role and accessible name only, with the mouse and then with
// the keyboard only, and axe-core on every portal page.

function tokenRequest(clientId: string, secret: string): Promise<Response> {
  return fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
}

/** A user of the demo tenant with only Account Member. */
async function createMember(): Promise<{ email: string; password: string }> {
  const email = `member-${Date.now()}@demo.example`
  const password = 'correct-horse-battery-staple-42'
  await adminApi('POST', '/users', { email, name: 'Member', password })
  return { email, password }
}

/** The date input's value one year from today (local time, like the page). */
function oneYearAhead(): string {
  const date = new Date()
  date.setFullYear(date.getFullYear() + 1)
  return localDay(date)
}

/** YYYY-MM-DD in local time (the browser runs in the same time zone). */
const localDay = (date: Date) => date.toLocaleDateString('sv')

const focusedName = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null
    return element?.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null
  })

/** Reads the values of the shown-once dialog, copying the secret with its Copy button. */
async function readSecretDialog(page: Page, d: Driver) {
  const dialog = page.getByRole('dialog', { name: 'Client Secret' })
  await dialog.waitFor()
  expect(await dialog.textContent()).toContain('cannot be shown again')
  const idGroup = dialog.getByRole('group', { name: 'Client Id' })
  const secretGroup = dialog.getByRole('group', { name: 'Client Secret' })
  expect(await idGroup.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true)
  await d.press(secretGroup.getByRole('button', { name: 'Copy' }))
  await secretGroup.getByText('Copied.').waitFor()
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toBe(await secretGroup.getByRole('textbox').inputValue())
  expect(copied.length).toBeGreaterThanOrEqual(43)
  return { dialog, clientId: await idGroup.getByRole('textbox').inputValue(), secret: copied }
}

async function confirm(page: Page, d: Driver, title: string): Promise<void> {
  const dialog = page.getByRole('alertdialog', { name: title })
  await d.press(dialog.getByRole('button', { name: 'Delete' }))
  await dialog.waitFor({ state: 'detached' })
}

const heading = (page: Page, name: string) =>
  page.getByRole('heading', { level: 2, name, exact: true })

/** Goes to the Clients page and chooses a Client Type. */
async function clientsOfType(page: Page, d: Driver, type: string): Promise<void> {
  await d.press(
    page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Clients', exact: true }),
  )
  await heading(page, 'Clients').waitFor()
  await d.choose(page.getByRole('combobox', { name: 'Client Type' }), type)
  await page
    .getByRole('table', { name: `${type} clients` })
    .or(page.getByText(`No ${type} clients yet.`))
    .waitFor()
}

const rowOf = (page: Page, name: string): Locator =>
  page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) })

/**
 * The seed's three stories, as an Account Administrator: a client-credentials client with its
 * secret rotated on Details, an authorization-code client whose redirect URL is edited, a hybrid
 * client with its secret shown once; each deleted at the end; then sign out.
 */
async function seedStories(page: Page, d: Driver): Promise<void> {
  // Names stay readable in the README's screenshots; each run starts a fresh stack.
  const tag = d.name === 'mouse' ? 'A' : 'B'
  const shots = d.name === 'mouse'

  // Client-credentials: Add Client -> Name, roles, Token Lifetime -> Continue -> secret -> Add.
  await clientsOfType(page, d, 'Client-Credentials')
  const type = page.getByRole('combobox', { name: 'Client Type' })
  expect(await type.evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.label)).toBe(
    'Client-Credentials',
  )
  await d.press(page.getByRole('button', { name: 'Add Client' }))
  await heading(page, 'Add Client: Client-Credentials').waitFor()
  const roles = page.getByRole('group', { name: 'Roles' })
  const member = roles.getByRole('checkbox', { name: 'Account Member' })
  expect(await member.isChecked()).toBe(true)
  expect(await member.isDisabled()).toBe(true)
  expect(await roles.getByRole('checkbox', { name: 'Account Administrator' }).isChecked()).toBe(
    false,
  )
  const lifetime = page.getByRole('spinbutton', { name: 'Token Lifetime' })
  expect(await lifetime.inputValue()).toBe('3600')
  // The browser's own checks: a name is required, the lifetime is 60..3600.
  await d.fill(lifetime, '30')
  await d.press(page.getByRole('button', { name: 'Continue' }))
  const name = page.getByRole('textbox', { name: 'Name', exact: true })
  await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true')
  expect(await focusedName(page)).toBe('Name')
  expect(await page.getByText('Error: Required').isVisible()).toBe(true)
  expect(await lifetime.getAttribute('aria-invalid')).toBe('true')
  expect(await page.getByText('Must be between 60 and 3600 seconds').isVisible()).toBe(true)
  if (shots) await screenshot(page, 'add-client-settings')
  await d.fill(name, `Boiler 7 ${tag}`)
  // An edited field drops its error until the next submit.
  await expect.poll(() => name.getAttribute('aria-invalid')).toBe(null)
  expect(await lifetime.getAttribute('aria-invalid')).toBe('true')
  await d.fill(lifetime, '600')
  await d.press(page.getByRole('button', { name: 'Continue' }))
  const secretStep = page.getByRole('heading', {
    level: 3,
    name: `Add a secret for Boiler 7 ${tag}`,
  })
  await secretStep.waitFor()
  await expect.poll(() => secretStep.evaluate((h) => h === document.activeElement)).toBe(true)
  expect(await page.getByLabel('Expiration Date').inputValue()).toBe(oneYearAhead())
  expect(await page.getByRole('checkbox', { name: 'Never Expires' }).isChecked()).toBe(false)
  await d.fill(page.getByRole('textbox', { name: 'Description' }), 'first')
  if (shots) await screenshot(page, 'add-client-secret')
  await d.press(page.getByRole('button', { name: 'Add', exact: true }))

  // The dialog: Client Id and Client Secret with Copy buttons; the copied secret gets a token
  // with the chosen lifetime.
  const first = await readSecretDialog(page, d)
  if (shots) await screenshot(page, 'secret-dialog')
  const token = await tokenRequest(first.clientId, first.secret)
  expect(token.status).toBe(200)
  expect(((await token.json()) as { expires_in: number }).expires_in).toBe(600)
  await d.press(first.dialog.getByRole('button', { name: 'Close' }))
  await first.dialog.waitFor({ state: 'detached' })
  // The Client Id stays visible in the list; the secret is nowhere in the page.
  const row = rowOf(page, `Boiler 7 ${tag}`)
  await row.waitFor()
  expect(await row.textContent()).toContain(first.clientId)
  expect(await row.textContent()).toContain('600 s')
  expect(await page.content()).not.toContain(first.secret)
  if (shots) await screenshot(page, 'clients-list')

  // Details: a second secret, then the first deleted and refused at once.
  await d.press(row.getByRole('link', { name: `Boiler 7 ${tag}` }))
  await heading(page, `Boiler 7 ${tag}`).waitFor()
  expect(await page.getByRole('tab', { name: 'Details' }).getAttribute('aria-selected')).toBe(
    'true',
  )
  expect(
    await page.getByRole('group', { name: 'Client Id' }).getByRole('textbox').inputValue(),
  ).toBe(first.clientId)
  await d.press(page.getByRole('button', { name: 'Add Secret' }))
  const add = page.getByRole('dialog', { name: 'Add Secret' })
  await d.fill(add.getByRole('textbox', { name: 'Description' }), 'second')
  await d.press(add.getByRole('button', { name: 'Add', exact: true }))
  const second = await readSecretDialog(page, d)
  expect(second.clientId).toBe(first.clientId)
  expect(second.secret).not.toBe(first.secret)
  await d.press(second.dialog.getByRole('button', { name: 'Close' }))
  await page.getByRole('rowheader', { name: 'second' }).waitFor()
  if (shots) await screenshot(page, 'client-details')
  await d.press(page.getByRole('button', { name: 'Delete first' }))
  await confirm(page, d, 'Delete first?')
  await page.getByRole('rowheader', { name: 'first' }).waitFor({ state: 'detached' })
  expect((await tokenRequest(first.clientId, first.secret)).status).toBe(401)
  expect((await tokenRequest(first.clientId, second.secret)).status).toBe(200)
  await d.press(page.getByRole('button', { name: 'Delete Client' }))
  await confirm(page, d, `Delete Boiler 7 ${tag}?`)
  await heading(page, 'Clients').waitFor()
  expect((await tokenRequest(first.clientId, second.secret)).status).toBe(401)

  // Authorization Code: Name, the URL lists, Token Lifetime -> Save; Client Id in the list.
  await clientsOfType(page, d, 'Authorization Code')
  await d.press(page.getByRole('button', { name: 'Add Client' }))
  await heading(page, 'Add Client: Authorization Code').waitFor()
  const redirects = page.getByRole('textbox', { name: 'Allowed Redirect URL(s)' })
  await d.fill(page.getByRole('textbox', { name: 'Name', exact: true }), `Web app ${tag}`)
  await d.fill(redirects, 'app.example.com/callback')
  await d.press(page.getByRole('button', { name: 'Save' }))
  await expect.poll(() => redirects.getAttribute('aria-invalid')).toBe('true')
  expect(await page.getByText('app.example.com/callback must be an absolute URL').isVisible()).toBe(
    true,
  )
  // What only the API refuses (the same URL twice) comes back next to the field too.
  await d.fill(redirects, 'https://app.example.com/callback\nhttps://app.example.com/callback')
  await d.press(page.getByRole('button', { name: 'Save' }))
  await page.getByText('Error: Duplicate values').waitFor()
  expect(await redirects.getAttribute('aria-invalid')).toBe('true')
  await d.fill(redirects, 'https://app.example.com/callback')
  await d.fill(
    page.getByRole('textbox', { name: 'Allowed Logout Redirect URL(s)' }),
    'https://app.example.com/\nhttps://app.example.com/bye',
  )
  await d.fill(
    page.getByRole('textbox', { name: 'Allowed CORS Origin(s)' }),
    'https://app.example.com\nhttps://authenticate.example.com',
  )
  await d.press(page.getByRole('button', { name: 'Save' }))
  const web = rowOf(page, `Web app ${tag}`)
  await web.waitFor()
  const webId = ((await web.getByRole('cell').first().textContent()) ?? '').trim()
  const saved = await adminApi<ClientResource>('GET', `/authorization-code-clients/${webId}`)
  expect(saved.postLogoutRedirectUris).toEqual([
    'https://app.example.com/',
    'https://app.example.com/bye',
  ])
  expect(saved.allowedCorsOrigins).toEqual([
    'https://app.example.com',
    'https://authenticate.example.com',
  ])
  await d.press(web.getByRole('link', { name: `Web app ${tag}` }))
  await heading(page, `Web app ${tag}`).waitFor()
  await d.fill(redirects, 'https://app.example.com/signed-in')
  await d.press(page.getByRole('button', { name: 'Save' }))
  await expect
    .poll(
      async () =>
        (await adminApi<ClientResource>('GET', `/authorization-code-clients/${webId}`))
          .redirectUris,
    )
    .toEqual(['https://app.example.com/signed-in'])
  await d.press(page.getByRole('button', { name: 'Delete Client' }))
  await confirm(page, d, `Delete Web app ${tag}?`)
  await heading(page, 'Clients').waitFor()

  // Hybrid: as Authorization Code plus Allow Refresh Token, its secret shown once.
  await clientsOfType(page, d, 'Hybrid')
  await d.press(page.getByRole('button', { name: 'Add Client' }))
  await heading(page, 'Add Client: Hybrid').waitFor()
  await d.fill(page.getByRole('textbox', { name: 'Name', exact: true }), `Server app ${tag}`)
  await d.toggle(page.getByRole('checkbox', { name: 'Allow Refresh Token' }))
  await d.fill(
    page.getByRole('textbox', { name: 'Allowed Redirect URL(s)' }),
    'https://server.example.com/callback',
  )
  await d.press(page.getByRole('button', { name: 'Save' }))
  const hybrid = await readSecretDialog(page, d)
  await d.press(hybrid.dialog.getByRole('button', { name: 'Close' }))
  const server = rowOf(page, `Server app ${tag}`)
  await server.waitFor()
  expect(await server.textContent()).toContain(hybrid.clientId)
  const stored = await adminApi<ClientResource>('GET', `/hybrid-clients/${hybrid.clientId}`)
  expect(stored.allowRefreshToken).toBe(true)
  await d.press(server.getByRole('link', { name: `Server app ${tag}` }))
  await heading(page, `Server app ${tag}`).waitFor()
  await d.press(page.getByRole('button', { name: 'Delete Client' }))
  await confirm(page, d, `Delete Server app ${tag}?`)
  await heading(page, 'Clients').waitFor()
  const left = await adminApi<ListPage<ClientResource>>('GET', '/hybrid-clients?count=1000')
  expect(left.items.map((client) => client.id)).not.toContain(hybrid.clientId)

  // Users, for the README.
  if (shots) {
    await d.press(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }),
    )
    await page.getByRole('table', { name: 'Users of the tenant' }).waitFor()
    await screenshot(page, 'users')
  }

  await d.press(page.getByRole('button', { name: 'Sign out' }))
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 20_000 })
}

async function signedInAdmin(page: Page): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: SPA })
  await signInThroughSpa(page)
}

describe('demo SPA: clients portal', () => {
  it("walks the seed's three client stories by role and accessible name (mouse)", async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signedInAdmin(page)
      await seedStories(page, mouseDriver())
    })
  }, 120_000)

  it("walks the seed's three client stories with the keyboard only", async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signedInAdmin(page)
      await seedStories(page, keyboardDriver(page))
    })
  }, 180_000)

  it('manages roles and users, and reads the audit log by name with action and date filters', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signedInAdmin(page)
      const nav = page.getByRole('navigation', { name: 'Main' })

      // Roles: create, rename.
      await nav.getByRole('link', { name: 'Roles' }).click()
      await page.getByRole('button', { name: 'Add Role' }).click()
      const addRole = page.getByRole('dialog', { name: 'Add Role' })
      await addRole.getByRole('textbox', { name: 'Name' }).fill('Operators')
      await addRole.getByRole('button', { name: 'Save' }).click()
      await page.getByRole('rowheader', { name: 'Operators', exact: true }).waitFor()
      await page.getByRole('button', { name: 'Rename Operators' }).click()
      const rename = page.getByRole('dialog', { name: 'Rename Operators' })
      await rename.getByRole('textbox', { name: 'Name' }).fill('Plant operators')
      await rename.getByRole('button', { name: 'Save' }).click()
      await page.getByRole('rowheader', { name: 'Plant operators', exact: true }).waitFor()

      // Users: create with a password, invite, edit, disable, reset link, set password, delete.
      await nav.getByRole('link', { name: 'Users' }).click()
      await page.getByRole('button', { name: 'Add User' }).click()
      let add = page.getByRole('dialog', { name: 'Add User' })
      await add.getByRole('textbox', { name: 'Email' }).fill('ann@demo.example')
      await add.getByRole('textbox', { name: 'Name' }).fill('Ann')
      await add.getByRole('checkbox', { name: 'Plant operators' }).check()
      await add.getByLabel('Password', { exact: true }).fill('correct-horse-battery-staple-42')
      await add.getByRole('button', { name: 'Save' }).click()
      const ann = rowOf(page, 'ann@demo.example')
      await ann.waitFor()
      expect(await ann.textContent()).toContain('Plant operators')
      await page.getByRole('button', { name: 'Add User' }).click()
      add = page.getByRole('dialog', { name: 'Add User' })
      await add.getByRole('textbox', { name: 'Email' }).fill('bob@demo.example')
      await add.getByRole('checkbox', { name: /^Invite/ }).check()
      await add.getByRole('button', { name: 'Save' }).click()
      const invitation = page.getByRole('dialog', { name: 'Invitation Link' })
      const link = await invitation
        .getByRole('group', { name: 'Invitation Link' })
        .getByRole('textbox')
        .inputValue()
      expect(link).toMatch(/^http:\/\/localhost:8787\//)
      await invitation.getByRole('button', { name: 'Close' }).click()
      expect(await rowOf(page, 'bob@demo.example').textContent()).toContain('Invitation pending')

      await page.getByRole('button', { name: 'Edit ann@demo.example' }).click()
      const edit = page.getByRole('dialog', { name: 'Edit ann@demo.example' })
      await edit.getByRole('textbox', { name: 'Name' }).fill('Ann Lee')
      await edit.getByRole('button', { name: 'Save' }).click()
      await expect.poll(() => ann.textContent()).toContain('Ann Lee')
      await page.getByRole('button', { name: 'Disable ann@demo.example' }).click()
      await expect.poll(() => ann.textContent()).toContain('Disabled')
      await page.getByRole('button', { name: 'Reset Link for ann@demo.example' }).click()
      const reset = page.getByRole('dialog', { name: 'Password Reset Link' })
      expect(await reset.textContent()).toContain('shown only now')
      await reset.getByRole('button', { name: 'Close' }).click()
      await page.getByRole('button', { name: 'Set Password of bob@demo.example' }).click()
      const password = page.getByRole('dialog', { name: 'Set Password of bob@demo.example' })
      await password.getByLabel('Password', { exact: true }).fill('another-horse-battery-staple-43')
      await password.getByRole('button', { name: 'Save' }).click()
      await expect.poll(() => rowOf(page, 'bob@demo.example').textContent()).toContain('Set')
      await page.getByRole('button', { name: 'Delete bob@demo.example' }).click()
      await confirm(page, mouseDriver(), 'Delete bob@demo.example?')
      await rowOf(page, 'bob@demo.example').waitFor({ state: 'detached' })
      // The focus is not lost with the deleted row.
      expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true)

      // The audit log: actor and target by name or email; filters by action and date.
      await nav.getByRole('link', { name: 'Audit log' }).click()
      const events = page.getByRole('table', { name: 'Audit events, newest first' })
      await events.waitFor()
      const created = events.getByRole('row').filter({ hasText: 'user.replaced' }).first()
      await expect.poll(() => created.textContent()).toContain('user: Ann Lee (ann@demo.example)')
      expect(await created.textContent()).toContain('admin@demo.example')
      await page.getByRole('combobox', { name: 'Action' }).selectOption('role.replaced')
      await expect
        .poll(async () => (await events.getByRole('rowheader').allTextContents()).join(','))
        .toBe('role.replaced')
      expect(await events.textContent()).toContain('role: Plant operators')
      const today = localDay(new Date())
      await page.getByLabel('From').fill(today)
      await page.getByLabel('To').fill(today)
      await expect.poll(() => events.getByRole('rowheader').count()).toBe(1)
      const yesterday = localDay(new Date(Date.now() - 86_400_000))
      await page.getByLabel('From').fill(yesterday)
      await page.getByLabel('To').fill(yesterday)
      await page.getByText('No events.').waitFor()
    })
  })

  it('shows a non-administrator a page saying the Account Administrator role is needed', async () => {
    const member = await createMember()
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page, member)
      const nav = page.getByRole('navigation', { name: 'Main' })
      expect(await nav.getByRole('link', { name: 'Clients', exact: true }).count()).toBe(0)
      expect(await page.getByText('it is for Account Administrators').isVisible()).toBe(true)

      await page.goto(page.url().replace(/\/$/, '/clients'))
      await heading(page, 'Account Administrator role required').waitFor({ timeout: 20_000 })
      expect(await page.getByText('only for Account Administrators').isVisible()).toBe(true)
      expect(await page.getByRole('button', { name: 'Add Client' }).count()).toBe(0)
    })
  })

  it('has no axe-core violation (WCAG 2.1 A/AA, any impact) on any portal page or dialog', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signedInAdmin(page)
      // Every impact, not only serious and critical: the portal has none at all.
      const violations = () => axeViolations(page)
      const seen: Record<string, string[]> = { session: await violations() }
      const nav = page.getByRole('navigation', { name: 'Main' })
      for (const link of ['Clients', 'Roles', 'Audit log', 'Users']) {
        await nav.getByRole('link', { name: link, exact: true }).click()
        await heading(page, link).waitFor()
        await page.getByRole('table').first().waitFor()
        seen[link] = await violations()
      }
      await page.getByRole('button', { name: 'Add User' }).click()
      const addUser = page.getByRole('dialog', { name: 'Add User' })
      await addUser.getByRole('button', { name: 'Save' }).click()
      await addUser.getByText('Error: Required').first().waitFor()
      seen['Add User with field errors'] = await violations()
      await page.keyboard.press('Escape')
      await addUser.waitFor({ state: 'detached' })
      await nav.getByRole('link', { name: 'Roles' }).click()
      await page.getByRole('button', { name: 'Add Role' }).click()
      await page.getByRole('dialog', { name: 'Add Role' }).waitFor()
      seen['Add Role dialog'] = await violations()
      await page.keyboard.press('Escape')
      await nav.getByRole('link', { name: 'Clients', exact: true }).click()
      await page.getByRole('button', { name: 'Add Client' }).click()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByText('Error: Required').waitFor()
      seen['Add Client with field errors'] = await violations()
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Axe check')
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.getByRole('button', { name: 'Add', exact: true }).click()
      const dialog = page.getByRole('dialog', { name: 'Client Secret' })
      await dialog.waitFor()
      seen['secret dialog'] = await violations()
      await dialog.getByRole('button', { name: 'Close' }).click()
      await rowOf(page, 'Axe check').getByRole('link').click()
      await heading(page, 'Axe check').waitFor()
      await page.getByRole('rowheader').first().waitFor()
      seen.Details = await violations()
      await page.getByRole('button', { name: 'Delete Client' }).click()
      seen['delete confirmation'] = await violations()
      await page.getByRole('button', { name: 'Cancel' }).click()
      await page.getByRole('tab', { name: 'Audit Log' }).click()
      await page.getByRole('table', { name: 'Events of Axe check' }).waitFor()
      seen['Audit Log tab'] = await violations()
      const empty = Object.fromEntries(Object.keys(seen).map((key) => [key, []]))
      expect(seen).toEqual(empty)
    })
  })
})
