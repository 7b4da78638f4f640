import { describe, it } from 'vitest'
import { browserAvailable } from './helpers/browser'
import {
  firstVisitorReload,
  hungTokenEndpoint,
  type ProviderUnderTest,
  popupSignIn,
  signOutSticks,
  webMessageRenewal,
} from './helpers/client-lib-scenarios'
import { ADMIN_EMAIL, ADMIN_PASSWORD, withBrowser } from './helpers/spa'
import { SERVER, SPA } from './helpers/stack'

// Issue 12 (client-lib 1.0), "Done when": the demo SPA against `npm start` (edge-identity). The
// scenarios take the provider, so they run unchanged against a second OpenID provider.

const EDGE_IDENTITY: ProviderUnderTest = {
  name: 'edge-identity (npm start)',
  issuer: SERVER,
  spa: SPA,
  email: ADMIN_EMAIL,
  async signIn(page) {
    await page.getByLabel('Email').fill(ADMIN_EMAIL)
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
  },
}

describe.runIf(browserAvailable())(`demo SPA with client-lib 1.0: ${EDGE_IDENTITY.name}`, () => {
  it('a hung token endpoint makes Renew now fail within the deadline in every tab, and renewal recovers once it answers', async () => {
    await withBrowser((context) => hungTokenEndpoint(context, EDGE_IDENTITY))
  })

  it('a first-time visitor reloading the SPA causes at most one authorization request', async () => {
    await withBrowser((context) => firstVisitorReload(context, EDGE_IDENTITY))
  })

  it('Sign in with popup signs the SPA in without navigating it, carrying the app state', async () => {
    await withBrowser((context) => popupSignIn(context, EDGE_IDENTITY))
  })

  it('after Sign out and a reload, there is no silent sign-in', async () => {
    await withBrowser((context) => signOutSticks(context, EDGE_IDENTITY))
  })

  it('with response_mode=web_message, renewal and popup sign-in need no silent callback page', async () => {
    await withBrowser((context) => webMessageRenewal(context, EDGE_IDENTITY))
  })
})
