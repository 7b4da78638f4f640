import { describe } from 'vitest'
import { clientLibScenarioTests, type ProviderUnderTest } from './helpers/client-lib-scenarios'
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/spa'
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
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  },
}

describe(`demo SPA with client-lib 1.0: ${EDGE_IDENTITY.name}`, () => {
  clientLibScenarioTests(() => EDGE_IDENTITY)
})
