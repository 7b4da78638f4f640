import { describe, expect, it } from 'vitest'
import { axeViolations } from './helpers/axe'
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, signInThroughSpa, withBrowser } from './helpers/spa'
import { SERVER } from './helpers/stack'

// The portal's Resources page (RFC 8707 API resources) against `npm start`: by role and
// accessible name, then a token for the resource the page registered.

function resourceToken(resource: string): Promise<Response> {
  const basic = btoa(
    `${encodeURIComponent(ADMIN_CLIENT_ID)}:${encodeURIComponent(ADMIN_CLIENT_SECRET)}`,
  )
  return fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }).toString(),
  })
}

describe('demo SPA: resources portal page', () => {
  it('registers, edits and deletes an API resource, and the token endpoint honours it', async () => {
    const identifier = `https://mcp.example.com/${Date.now()}`
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await signInThroughSpa(page)
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Resources' })
        .click()
      await page.getByRole('heading', { name: 'Resources' }).waitFor()

      await page.getByRole('button', { name: 'Add Resource' }).click()
      const add = page.getByRole('dialog', { name: 'Add Resource' })
      // The server's own refusal is shown on the field.
      await add.getByRole('textbox', { name: 'Identifier' }).fill('http://mcp.example.com/mcp')
      await add.getByRole('textbox', { name: 'Name' }).fill('Tools server')
      await add.getByRole('button', { name: 'Save' }).click()
      await add.getByText(/must use https/).waitFor()
      await add.getByRole('textbox', { name: 'Identifier' }).fill(identifier)
      await add.getByRole('textbox', { name: 'Scopes' }).fill('mcp:tools mcp:prompts')
      await add.getByRole('spinbutton', { name: 'Token Lifetime' }).fill('600')
      await add.getByRole('button', { name: 'Save' }).click()
      const row = page.getByRole('row').filter({ hasText: identifier })
      await row.waitFor()
      expect(await row.textContent()).toContain('600 s')
      expect(await axeViolations(page)).toEqual([])

      const issued = await resourceToken(identifier)
      expect(issued.status).toBe(200)
      expect(await issued.json()).toMatchObject({ expires_in: 600, scope: 'mcp:tools mcp:prompts' })

      await page.getByRole('button', { name: 'Edit Tools server' }).last().click()
      const edit = page.getByRole('dialog', { name: 'Edit Tools server' })
      await edit.getByRole('checkbox', { name: 'Require DPoP' }).check()
      await edit.getByRole('button', { name: 'Save' }).click()
      await expect.poll(() => row.textContent()).toContain('Required')
      const unbound = await resourceToken(identifier)
      expect(((await unbound.json()) as { error: string }).error).toBe('invalid_dpop_proof')

      await page.getByRole('button', { name: 'Delete Tools server' }).last().click()
      await page
        .getByRole('alertdialog', { name: 'Delete the resource Tools server?' })
        .getByRole('button', { name: 'Delete' })
        .click()
      await row.waitFor({ state: 'detached' })
      const gone = await resourceToken(identifier)
      expect(((await gone.json()) as { error: string }).error).toBe('invalid_target')
    })
  }, 120_000)
})
