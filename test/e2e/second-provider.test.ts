import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type OpenIdProviderUnderTest, startSecondProvider } from './helpers/second-provider'
import { tokenId, waitForEmail, waitForLog, waitForSessionCheck, withBrowser } from './helpers/spa'
import { throwawayChallenge, webMessageInFrame } from './helpers/web-message'

// The demo SPA against a second, independent OpenID provider (node-oidc-provider 9), started by
// helpers/second-provider.ts on ports of its own: the library is not tied to edge-identity.

describe('demo SPA against node-oidc-provider (smoke)', () => {
  let provider: OpenIdProviderUnderTest | undefined

  beforeAll(async () => {
    provider = await startSecondProvider()
  }, 120_000)

  afterAll(async () => {
    await provider?.stop()
  })

  it('advertises web_message and JWT-capable discovery the library reads', async () => {
    const { issuer } = provider as OpenIdProviderUnderTest
    const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string
      response_modes_supported: string[]
      code_challenge_methods_supported: string[]
      end_session_endpoint: string
    }
    expect(metadata.issuer).toBe(issuer)
    expect(metadata.response_modes_supported).toContain('web_message')
    expect(metadata.code_challenge_methods_supported).toContain('S256')
    expect(metadata.end_session_endpoint).toMatch(/^http:\/\/localhost:3110\//)
  })

  it('signs in, renews silently on Renew now, answers web_message in a hidden iframe, and signs out for good', async () => {
    const op = provider as OpenIdProviderUnderTest
    await withBrowser(async (context) => {
      const page = await context.newPage()
      await page.goto(op.spaUrl)
      await waitForSessionCheck(page)
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.waitForURL((url) => url.origin === op.issuer, { timeout: 20_000 })
      await op.signIn(page)
      await waitForEmail(page, op.email)
      // An RFC 9068 JWT access token: the SPA shows its jti.
      const before = await tokenId(page)
      expect(before).toMatch(/\S/)

      let navigations = 0
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations++
      })
      await page.getByRole('button', { name: 'Renew now' }).click()
      const [renewed] = await waitForLog(page, (entry) => entry.kind === 'renewed')
      expect(renewed?.network).toBe(true)
      await expect.poll(() => tokenId(page)).not.toBe(before)
      expect(navigations).toBe(0)

      // web_message (node-oidc-provider's experimental feature) answers a hidden iframe too.
      const posted = await webMessageInFrame(
        page,
        `${op.issuer}/auth?${new URLSearchParams({
          client_id: op.clientId,
          redirect_uri: `${op.spaUrl}/callback`,
          response_type: 'code',
          response_mode: 'web_message',
          prompt: 'none',
          scope: 'openid',
          state: 's-web-message',
          code_challenge: throwawayChallenge(),
          code_challenge_method: 'S256',
        })}`,
        op.issuer,
      )
      expect(posted.fromFrame).toBe(true)
      expect(posted.data.type).toBe('authorization_response')
      expect(posted.data.response?.code).toBeTruthy()
      expect(posted.data.response?.state).toBe('s-web-message')

      // RP-initiated logout at the provider, then back to the SPA's post-logout URI.
      const endSession = page.waitForRequest((r) => r.url().startsWith(`${op.issuer}/session/end`))
      await page.getByRole('button', { name: 'Sign out' }).click()
      await endSession
      await page.waitForURL((url) => url.origin === op.spaUrl, { timeout: 20_000 })
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 20_000 })
      // The provider's session is gone: a reload finds none silently.
      await page.reload()
      await waitForSessionCheck(page)
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 20_000 })
      expect(await page.locator('#user-email').count()).toBe(0)
    })
  })
})
