import { afterAll, beforeAll, describe } from 'vitest'
import { clientLibScenarioTests, type ProviderUnderTest } from './helpers/client-lib-scenarios'
import { type OpenIdProviderUnderTest, startSecondProvider } from './helpers/second-provider'

// Issue 12 (client-lib 1.0), "Done when": the same scenarios as spa-client-lib.test.ts, with the
// demo SPA configured against a second, independent OpenID provider (node-oidc-provider 9 on
// ports of its own, see helpers/second-provider.ts): the library's behaviour does not depend on
// edge-identity.

describe('demo SPA with client-lib 1.0: node-oidc-provider', () => {
  let op: OpenIdProviderUnderTest | undefined
  let provider: ProviderUnderTest

  beforeAll(async () => {
    op = await startSecondProvider()
    provider = {
      name: op.name,
      issuer: op.issuer,
      spa: op.spaUrl,
      email: op.email,
      signIn: op.signIn,
    }
  }, 120_000)

  afterAll(async () => {
    await op?.stop()
  })

  clientLibScenarioTests(() => provider)
})
