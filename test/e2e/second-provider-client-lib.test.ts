import { afterAll, beforeAll, describe, it } from 'vitest'
import { browserAvailable } from './helpers/browser'
import {
  firstVisitorReload,
  hungTokenEndpoint,
  type ProviderUnderTest,
  popupSignIn,
  signOutSticks,
  webMessageRenewal,
} from './helpers/client-lib-scenarios'
import { type OpenIdProviderUnderTest, startSecondProvider } from './helpers/second-provider'
import { withBrowser } from './helpers/spa'

// Issue 12 (client-lib 1.0), "Done when": the same scenarios as spa-client-lib.test.ts, with the
// demo SPA configured against a second, independent OpenID provider (node-oidc-provider 9 on
// ports of its own, see helpers/second-provider.ts): the library's behaviour does not depend on
// edge-identity.

describe.runIf(browserAvailable())('demo SPA with client-lib 1.0: node-oidc-provider', () => {
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

  it('a hung token endpoint makes Renew now fail within the deadline in every tab, and renewal recovers once it answers', async () => {
    await withBrowser((context) => hungTokenEndpoint(context, provider))
  })

  it('a first-time visitor reloading the SPA causes at most one authorization request', async () => {
    await withBrowser((context) => firstVisitorReload(context, provider))
  })

  it('Sign in with popup signs the SPA in without navigating it, carrying the app state', async () => {
    await withBrowser((context) => popupSignIn(context, provider))
  })

  it('after Sign out and a reload, there is no silent sign-in', async () => {
    await withBrowser((context) => signOutSticks(context, provider))
  })

  it('with response_mode=web_message, renewal and popup sign-in need no silent callback page', async () => {
    await withBrowser((context) => webMessageRenewal(context, provider))
  })
})
