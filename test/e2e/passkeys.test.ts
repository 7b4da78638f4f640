import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  ADMIN_EMAIL,
  signInThroughSpa,
  waitForEmail,
  waitForSessionCheck,
  withBrowser,
} from './helpers/spa'
import { SERVER, SPA } from './helpers/stack'

// Passkeys (issue 16) in headless Chromium against `npm start`, with the DevTools protocol's
// virtual authenticator standing in for the device: a platform authenticator (internal
// transport) that holds discoverable credentials and verifies the user.

/** Gives the page a virtual passkey authenticator that always verifies the user. */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
}

/** Ends the server session (RP-Initiated Logout without a hint asks first). */
async function signOutAtServer(page: Page): Promise<void> {
  await page.goto(`${SERVER}/end_session`)
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByText('You are signed out').waitFor()
}

/** Opens the demo SPA signed out and reaches the server's sign-in page through its button. */
async function openSignInFromSpa(page: Page): Promise<void> {
  await page.goto(SPA)
  await waitForSessionCheck(page)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor()
}

describe('passkeys in the browser (WebAuthn virtual authenticator)', () => {
  it('adds a passkey on the account page, signs in to the demo SPA with it and no password, and is refused once it is deleted', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await addVirtualAuthenticator(page)

      // 1. Sign in with the password, then add a passkey on the account page.
      await signInThroughSpa(page)
      await page.goto(`${SERVER}/account`)
      await page.getByText(`Signed in as ${ADMIN_EMAIL}`).waitFor()
      await page.getByRole('button', { name: 'Add a passkey' }).click()
      await page.getByText('The passkey was added.').waitFor()
      const deleteButton = page.getByRole('button', { name: /^Delete Passkey added / })
      expect(await deleteButton.count()).toBe(1)

      // 2. Sign out, then sign in to the SPA with the passkey: no password typed. The virtual
      // authenticator answers the page's autofill (conditional) request by itself (the next
      // test), so autofill is turned off here: the button is what signs in.
      await page.addInitScript(() => {
        PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false)
      })
      await signOutAtServer(page)
      await openSignInFromSpa(page)
      expect(await page.getByLabel('Email').getAttribute('autocomplete')).toBe('username webauthn')
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
      await page.waitForURL((url) => url.origin === SPA && url.pathname !== '/callback', {
        timeout: 20_000,
      })
      await waitForEmail(page, ADMIN_EMAIL)

      // 3. Delete the passkey; passkey sign-in is then refused with the generic message.
      await page.goto(`${SERVER}/account`)
      await page.getByRole('button', { name: /^Delete Passkey added / }).click()
      await page.getByText('The passkey was deleted.').waitFor()
      expect(await page.getByText('You have no passkeys yet.').isVisible()).toBe(true)
      await signOutAtServer(page)
      await openSignInFromSpa(page)
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
      await page.getByRole('alert').filter({ hasText: 'The passkey was not accepted.' }).waitFor()
      expect(new URL(page.url()).origin).toBe(SERVER)
    })
  })

  it('signs in through the Email field autofill (conditional mediation) with no click, and an administrator removes the passkey in the portal', async () => {
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await addVirtualAuthenticator(page)
      await signInThroughSpa(page)
      await page.goto(`${SERVER}/account`)
      await page.getByRole('button', { name: 'Add a passkey' }).click()
      await page.getByText('The passkey was added.').waitFor()
      await signOutAtServer(page)

      // The page asks for a passkey with mediation: 'conditional' as it loads; the virtual
      // authenticator picks the one credential as a user would in the autofill list.
      await page.goto(SPA)
      await waitForSessionCheck(page)
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.waitForURL((url) => url.origin === SPA && url.pathname !== '/callback', {
        timeout: 20_000,
      })
      await waitForEmail(page, ADMIN_EMAIL)

      // An administrator removes the user's passkeys in the portal (a lost device); this also
      // cleans up for the other tests of the run: the admin keeps no passkey.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Users' })
        .click()
      const row = page
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: ADMIN_EMAIL, exact: true }) })
      const passkeysCell = row.getByRole('cell').nth(4)
      await expect.poll(() => passkeysCell.textContent()).toBe('1')
      await row.getByRole('button', { name: `Remove Passkeys of ${ADMIN_EMAIL}` }).click()
      const confirm = page.getByRole('alertdialog', {
        name: `Remove the passkeys of ${ADMIN_EMAIL}?`,
      })
      await confirm.getByRole('button', { name: 'Remove' }).click()
      await expect.poll(() => passkeysCell.textContent()).toBe('0')
      expect(await row.getByRole('button', { name: /^Remove Passkeys/ }).count()).toBe(0)
      await page.goto(`${SERVER}/account`)
      await page.getByText('You have no passkeys yet.').waitFor()
    })
  })
})
