import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type {
  Page as ListPage,
  ThirdPartyClientResource,
  ThirdPartyPolicyResource,
} from '../../worker/src/routes/api/resource-types'
import { axeViolations } from './helpers/axe'
import { adminApi } from './helpers/portal'
import { signInThroughSpa, withBrowser } from './helpers/spa'
import { SERVER, SPA } from './helpers/stack'

// The portal's Third-party Clients page against `npm start`, by role and accessible name: the
// tenant's policy, an initial access token used for a real RFC 7591 registration, the
// registered client disabled and deleted, the token revoked; axe-core on the page and dialogs.

/** POST /register (RFC 7591 §3) with an initial access token, as a client would. */
function register(token: string, clientName: string): Promise<Response> {
  return fetch(`${SERVER}/register`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: clientName,
      redirect_uris: ['https://portal-e2e.example.com/callback'],
    }),
  })
}

const readPolicy = () => adminApi<ThirdPartyPolicyResource>('GET', '/third-party-policy')

async function openPage(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('link', { name: 'Third-party Clients' }).click()
  await page.getByRole('heading', { level: 2, name: 'Third-party Clients' }).waitFor()
  await page.getByRole('button', { name: 'Save' }).waitFor()
}

describe('demo SPA: third-party clients portal page', () => {
  it('sets the policy, registers a client with a token it added, then disables and deletes the client and revokes the token', async () => {
    const original = await readPolicy()
    const clientName = `Portal e2e client ${Date.now()}`
    const description = `Portal e2e token ${Date.now()}`
    const seen: Record<string, string[]> = {}
    try {
      await withBrowser(async (context) => {
        const page = await context.newPage()
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: SPA })
        await signInThroughSpa(page)
        await openPage(page)
        await page
          .getByRole('table', { name: 'Initial access tokens of the tenant' })
          .or(page.getByText('No registration tokens yet.'))
          .waitFor()
        seen.page = await axeViolations(page)

        // An allow-list with one host; the API's refusal of a bad host is shown on the field.
        const policy = page.getByRole('form', { name: 'Third-party policy' })
        await policy.getByRole('radio', { name: 'Only these hosts' }).check()
        const hosts = policy.getByRole('textbox', { name: 'Hosts' })
        await hosts.fill('not a host')
        await policy.getByRole('button', { name: 'Save' }).click()
        await policy.getByText('Error: Item 1: Must be a host name').waitFor()
        expect(await hosts.getAttribute('aria-invalid')).toBe('true')
        seen['policy with a field error'] = await axeViolations(page)
        await hosts.fill('mcp.example.com')
        await policy.getByRole('button', { name: 'Save' }).click()
        await expect.poll(readPolicy).toMatchObject({
          metadataDocuments: { policy: 'allow-list', hosts: ['mcp.example.com'] },
        })

        // Back to all hosts, with dynamic registration allowed.
        await policy.getByRole('radio', { name: 'All hosts' }).check()
        await hosts.waitFor({ state: 'detached' })
        await policy.getByRole('checkbox', { name: 'Allow dynamic registration' }).check()
        await policy.getByRole('button', { name: 'Save' }).click()
        await expect.poll(readPolicy).toMatchObject({
          metadataDocuments: { policy: 'all', hosts: ['mcp.example.com'] },
          dynamicRegistration: true,
        })

        // An initial access token, shown once and copied.
        await page.getByRole('button', { name: 'Add Token' }).click()
        const add = page.getByRole('dialog', { name: 'Add Token' })
        await add.getByRole('textbox', { name: 'Description' }).fill(description)
        await add.getByRole('spinbutton', { name: 'Max Uses' }).fill('1')
        seen['Add Token dialog'] = await axeViolations(page)
        await add.getByRole('button', { name: 'Add', exact: true }).click()
        const shown = page.getByRole('dialog', { name: 'Initial Access Token' })
        await shown.waitFor()
        expect(await shown.textContent()).toContain('cannot be shown again')
        const group = shown.getByRole('group', { name: 'Initial Access Token' })
        await group.getByRole('button', { name: 'Copy' }).click()
        await group.getByText('Copied.').waitFor()
        const token = await page.evaluate(() => navigator.clipboard.readText())
        expect(token).toBe(await group.getByRole('textbox').inputValue())
        seen['token dialog'] = await axeViolations(page)
        await shown.getByRole('button', { name: 'Close' }).click()
        await shown.waitFor({ state: 'detached' })
        const tokenRow = page.getByRole('row').filter({ hasText: description })
        expect(await tokenRow.textContent()).toContain('0 of 1')

        // A client registers itself with it (RFC 7591 §3) and appears in the list.
        const registered = await register(token, clientName)
        expect(registered.status, await registered.clone().text()).toBe(201)
        const { client_id: clientId } = (await registered.json()) as { client_id: string }
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Roles' })
          .click()
        await page.getByRole('heading', { level: 2, name: 'Roles' }).waitFor()
        await openPage(page)
        const row = page.getByRole('row').filter({ hasText: clientName })
        await row.waitFor()
        expect(await row.textContent()).toContain(clientId)
        expect(await row.textContent()).toContain('Dynamic registration')
        expect(await row.textContent()).toContain('Enabled')
        expect(await tokenRow.textContent()).toContain('1 of 1')

        await row.getByRole('button', { name: `Disable ${clientName}` }).click()
        await expect.poll(() => row.textContent()).toContain('Disabled')
        const listed = await adminApi<ListPage<ThirdPartyClientResource>>(
          'GET',
          '/third-party-clients?skip=0&count=1000',
        )
        expect(listed.items.find((each) => each.id === clientId)?.enabled).toBe(false)
        await row.getByRole('button', { name: `Enable ${clientName}` }).waitFor()

        await row.getByRole('button', { name: `Delete ${clientName}` }).click()
        const confirm = page.getByRole('alertdialog', { name: `Delete the client ${clientName}?` })
        await confirm.waitFor()
        seen['delete confirmation'] = await axeViolations(page)
        await confirm.getByRole('button', { name: 'Delete' }).click()
        await row.waitFor({ state: 'detached' })
        const after = await adminApi<ListPage<ThirdPartyClientResource>>(
          'GET',
          '/third-party-clients?skip=0&count=1000',
        )
        expect(after.items.some((each) => each.id === clientId)).toBe(false)

        // The token revoked: it registers nothing more.
        await tokenRow.getByRole('button', { name: `Revoke ${description}` }).click()
        const revoke = page.getByRole('alertdialog', { name: `Revoke ${description}?` })
        seen['revoke confirmation'] = await axeViolations(page)
        await revoke.getByRole('button', { name: 'Revoke' }).click()
        await expect.poll(() => tokenRow.textContent()).toContain('Revoked')
        expect((await register(token, `${clientName} again`)).status).toBe(401)
        seen['after the changes'] = await axeViolations(page)
      })
    } finally {
      await adminApi('PUT', '/third-party-policy', original)
    }
    const empty = Object.fromEntries(Object.keys(seen).map((key) => [key, []]))
    expect(seen).toEqual(empty)
  }, 120_000)
})
