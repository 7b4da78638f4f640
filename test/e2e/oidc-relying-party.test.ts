import * as oidc from 'openid-client'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { launchBrowser } from './helpers/browser'
import {
  ADMIN_EMAIL,
  authorizationRequest,
  CALLBACK,
  discoverSpaClient,
  type NavigationStep,
  navigationTo,
  POST_LOGOUT,
  redeem,
  renewInHiddenIframe,
  SILENT_CALLBACK,
  SPA_CLIENT_ID,
  signInTopLevel,
} from './helpers/relying-party'
import { SERVER } from './helpers/stack'

// Issue 5, "Done when": a third-party strict OpenID Connect relying party (openid-client, an
// OpenID-certified RP library) signs the demo administrator in through the demo SPA's public
// client against `npm start`, in headless Chromium, and renews silently in a hidden iframe. The
// SPA (localhost:5173) and the server (localhost:8787) are same-site, like app.example.com and
// auth.example.com; the cross-site layout needs a second stack and is tested elsewhere.

/** A fresh browser profile (no cookies) for the test, closed whatever happens. */
async function withBrowser(test: (page: Page) => Promise<void>) {
  const browser = await launchBrowser()
  try {
    await test(await browser.context.newPage())
  } finally {
    await browser.close()
  }
}

/** Resolves once the server's clock (the same machine's) has passed `seconds`. */
async function afterSecond(seconds: number): Promise<void> {
  while (Date.now() / 1000 < seconds + 1) await new Promise((resolve) => setTimeout(resolve, 50))
}

/** Ends the browser's session the way an RP does (RP-Initiated Logout 1.0 §2, §3). */
async function logOut(config: oidc.Configuration, page: Page, idToken: string): Promise<URL> {
  const state = oidc.randomState()
  const url = oidc.buildEndSessionUrl(config, {
    id_token_hint: idToken,
    post_logout_redirect_uri: POST_LOGOUT,
    state,
  })
  const landed = await navigationTo(page, `${POST_LOGOUT}?`, () => page.goto(url.href))
  expect(landed.href).toBe(`${POST_LOGOUT}?state=${state}`)
  return landed
}

/**
 * The hidden iframe went from the authorization URL straight to the silent callback: one
 * redirect (302 or 303) with no page in between, so nothing was shown and `frame-ancestors` on
 * the server's pages never came into play (checklist H11).
 */
function expectRedirectOnly(chain: NavigationStep[], authorizationUrl: URL, callback: URL): void {
  expect(chain.map((step) => step.url)).toEqual([authorizationUrl.href, callback.href])
  expect([302, 303]).toContain(chain[0]?.status)
  expect(chain[0]?.contentType ?? '').not.toMatch(/html/i)
}

/** openid-client accepted the response (iss, state) and reports its OAuth error. */
async function expectAuthorizationError(redemption: Promise<unknown>, code: string): Promise<void> {
  const error = await redemption.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(oidc.AuthorizationResponseError)
  expect((error as oidc.AuthorizationResponseError).error).toBe(code)
}

describe('openid-client (strict RP) against npm start, in Chromium', () => {
  it('I03, G01, G02: completes code + PKCE: the response carries iss and state, the ID token validates, userinfo names the user', async () => {
    const config = await discoverSpaClient()
    expect(config.serverMetadata().issuer).toBe(SERVER)
    expect(config.serverMetadata().supportsPKCE()).toBe(true)
    const pending = await authorizationRequest(config, { redirectUri: CALLBACK })

    await withBrowser(async (page) => {
      const callback = await signInTopLevel(page, pending.url, CALLBACK)
      expect(callback.searchParams.get('iss')).toBe(SERVER)
      expect(callback.searchParams.get('state')).toBe(pending.state)
      expect(callback.searchParams.get('code')).toBeTruthy()

      const tokens = await redeem(config, callback, pending)
      const claims = tokens.claims()
      expect(claims).toMatchObject({
        iss: SERVER,
        aud: SPA_CLIENT_ID,
        azp: SPA_CLIENT_ID,
        nonce: pending.nonce,
      })
      expect(typeof claims?.auth_time).toBe('number')
      expect(typeof claims?.sid).toBe('string')
      expect(tokens.token_type.toLowerCase()).toBe('bearer')
      expect(tokens.refresh_token).toBeUndefined()

      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '')
      expect(userinfo).toMatchObject({ email: ADMIN_EMAIL, name: 'Demo Administrator' })
    })
  })

  it('H01, I03: logs out with id_token_hint back to post_logout_redirect_uri with state, revoking the access token; prompt=none then answers login_required with state and iss', async () => {
    const config = await discoverSpaClient()
    const pending = await authorizationRequest(config, { redirectUri: CALLBACK })

    await withBrowser(async (page) => {
      const tokens = await redeem(
        config,
        await signInTopLevel(page, pending.url, CALLBACK),
        pending,
      )
      await logOut(config, page, tokens.id_token ?? '')
      // Ending the session revokes what it granted: the access token stops working at once.
      const refused = await oidc
        .fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub ?? '')
        .then(
          () => undefined,
          (reason: unknown) => reason,
        )
      expect(refused).toBeInstanceOf(oidc.WWWAuthenticateChallengeError)

      const silent = await authorizationRequest(config, { redirectUri: CALLBACK, prompt: 'none' })
      const answer = await navigationTo(page, `${CALLBACK}?`, () => page.goto(silent.url.href))
      expect(Object.fromEntries(answer.searchParams)).toMatchObject({
        error: 'login_required',
        state: silent.state,
        iss: SERVER,
      })
      expect(answer.searchParams.has('code')).toBe(false)
      // openid-client checks iss and state before it reports the error.
      await expectAuthorizationError(redeem(config, answer, silent), 'login_required')
    })
  })

  it('H02, H10, H11, I03: renews in a hidden same-site iframe with prompt=none: a code without UI, with the sub and auth_time of the sign-in', async () => {
    const config = await discoverSpaClient()

    await withBrowser(async (page) => {
      const first = await authorizationRequest(config, { redirectUri: CALLBACK })
      const firstTokens = await redeem(
        config,
        await signInTopLevel(page, first.url, CALLBACK),
        first,
      )
      const firstClaims = firstTokens.claims()
      await logOut(config, page, firstTokens.id_token ?? '')

      // A new sign-in in the same browser, a second later, so its auth_time is its own.
      await afterSecond(firstClaims?.auth_time ?? 0)
      const again = await authorizationRequest(config, { redirectUri: CALLBACK })
      const againTokens = await redeem(
        config,
        await signInTopLevel(page, again.url, CALLBACK),
        again,
      )
      const signIn = againTokens.claims()
      expect(signIn?.sub).toBe(firstClaims?.sub)
      expect(signIn?.auth_time).toBeGreaterThan(firstClaims?.auth_time ?? 0)

      // A second later still, so a renewal that restamped auth_time with "now" would show.
      await afterSecond(signIn?.auth_time ?? 0)
      const silent = await authorizationRequest(config, {
        redirectUri: SILENT_CALLBACK,
        prompt: 'none',
      })
      const { url, chain } = await renewInHiddenIframe(page, silent.url)
      expect(url.searchParams.get('error')).toBeNull()
      expect(url.searchParams.get('code')).toBeTruthy()
      expect(url.searchParams.get('state')).toBe(silent.state)
      expect(url.searchParams.get('iss')).toBe(SERVER)
      expectRedirectOnly(chain, silent.url, url)

      const renewed = await redeem(config, url, silent)
      const claims = renewed.claims()
      expect(claims?.sub).toBe(firstClaims?.sub)
      expect(claims?.auth_time).toBe(signIn?.auth_time)
      expect(claims?.iat).toBeGreaterThan(signIn?.auth_time ?? 0)
      expect(renewed.access_token).not.toBe(againTokens.access_token)
    })
  })

  it('H01, H11, I03: answers prompt=none in a hidden iframe with no session by redirecting login_required with state and iss, never a page', async () => {
    const config = await discoverSpaClient()

    await withBrowser(async (page) => {
      const silent = await authorizationRequest(config, {
        redirectUri: SILENT_CALLBACK,
        prompt: 'none',
      })
      const { url, chain } = await renewInHiddenIframe(page, silent.url)
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        error: 'login_required',
        state: silent.state,
        iss: SERVER,
      })
      expect(url.searchParams.has('code')).toBe(false)
      expectRedirectOnly(chain, silent.url, url)
      await expectAuthorizationError(redeem(config, url, silent), 'login_required')
    })
  })
})
