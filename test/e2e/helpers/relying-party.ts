import * as oidc from 'openid-client'
import type { ConsoleMessage, Page, Request } from 'playwright-core'
import { SERVER, SPA } from './stack'

// A strict third-party relying party (openid-client, OpenID-certified RP) for the demo SPA's
// public authorization-code client, plus the browser steps a user takes: the values come from
// .dev.vars.example, which `npm start` copied to .dev.vars.

export const SPA_CLIENT_ID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d'
export const ADMIN_EMAIL = 'admin@demo.example'
export const ADMIN_PASSWORD = 'demo-admin-password'
export const CALLBACK = `${SPA}/callback`
export const SILENT_CALLBACK = `${SPA}/silent-callback.html`
export const POST_LOGOUT = `${SPA}/`
export const SCOPE = 'openid profile email api'

/**
 * Discovery for the issuer as a public client (`token_endpoint_auth_method: none`). The issuer is
 * plain http on localhost, which openid-client refuses unless told otherwise.
 */
export function discoverSpaClient(): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(SERVER), SPA_CLIENT_ID, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  })
}

/** What the RP keeps between the redirect and the callback. */
export interface PendingAuthorization {
  url: URL
  codeVerifier: string
  state: string
  nonce: string
}

/** A fresh authorization request with PKCE S256, state and nonce (OIDC Core §3.1.2.1). */
export async function authorizationRequest(
  config: oidc.Configuration,
  options: { redirectUri: string; prompt?: string },
): Promise<PendingAuthorization> {
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(options.prompt !== undefined && { prompt: options.prompt }),
  })
  return { url, codeVerifier, state, nonce }
}

/**
 * Validates the authorization response (state, RFC 9207 `iss`) and redeems the code with the
 * PKCE verifier; openid-client then validates the ID token (JWKS signature, iss, aud, azp, exp,
 * iat, nonce).
 */
export function redeem(config: oidc.Configuration, callback: URL, pending: PendingAuthorization) {
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  })
}

/**
 * The page of the SPA's origin that hosts the hidden iframe: the demo SPA's own page, served by
 * the Vite server on loopback. A page the test served itself (Playwright's route.fulfill) has no
 * address, so Chromium counts it as public and its Local Network Access checks block the
 * iframe's request to localhost (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
 */
export const IFRAME_HOST = `${SPA}/`
const IFRAME_NAME = 'e2e-silent-renew'

/**
 * Navigates the page top-level and answers the URL of the first navigation request of its main
 * frame that starts with `prefix` (the server's redirect to the application), whatever the
 * application's page does with its URL afterwards. On timeout the error names the page the
 * browser stopped at and what it says.
 */
export async function navigationTo(
  page: Page,
  prefix: string,
  navigate: () => Promise<unknown>,
  timeoutMs = 15_000,
): Promise<URL> {
  const request = page.waitForRequest(
    (candidate) =>
      candidate.isNavigationRequest() &&
      candidate.frame() === page.mainFrame() &&
      candidate.url().startsWith(prefix),
    { timeout: timeoutMs },
  )
  request.catch(() => undefined)
  // Chromium reports what it blocked (a Content-Security-Policy, for example) only in the console.
  const consoleErrors: string[] = []
  const recordConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  }
  page.on('console', recordConsole)
  await navigate()
  try {
    return new URL((await request).url())
  } catch (error) {
    const text = await page
      .locator('body')
      .textContent({ timeout: 1000 })
      .catch(() => null)
    throw new Error(
      `the browser was not sent to ${prefix} within ${timeoutMs} ms; it shows ${page.url()}: ` +
        JSON.stringify((text ?? '').replace(/\s+/g, ' ').trim().slice(0, 300)) +
        `; console errors: ${JSON.stringify(consoleErrors)}`,
      { cause: error },
    )
  } finally {
    page.off('console', recordConsole)
  }
}

/**
 * Goes to the authorization URL top-level, signs in with the demo administrator on the sign-in
 * page, and answers the URL the server then sent the browser to (the authorization response).
 */
export async function signInTopLevel(
  page: Page,
  authorizationUrl: URL,
  redirectUri: string,
): Promise<URL> {
  await page.goto(authorizationUrl.href)
  await page.getByLabel('Email').fill(ADMIN_EMAIL)
  await page.getByLabel('Password').fill(ADMIN_PASSWORD)
  return navigationTo(page, `${redirectUri}?`, () =>
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  )
}

/** One step of the hidden iframe's navigation, from the authorization URL to the callback. */
export interface NavigationStep {
  url: string
  status: number | undefined
  contentType: string | undefined
}

/**
 * Silent renewal as a browser app does it: from a page of the SPA's origin, a hidden iframe
 * (`display:none`) goes to the authorization URL; once the server has redirected it back to the
 * SPA's origin, the page reads the iframe's URL (now same-origin with it). Answers that URL and
 * the iframe's chain of navigation requests that led to it, each with its response. Fails, with
 * what the iframe did, when it never comes back to the SPA's origin (for example because the
 * server showed a page in it, which the page's `frame-ancestors` then blocks).
 */
export async function renewInHiddenIframe(
  page: Page,
  authorizationUrl: URL,
  timeoutMs = 10_000,
): Promise<{ url: URL; chain: NavigationStep[] }> {
  await page.goto(IFRAME_HOST)
  const navigations: Request[] = []
  const failures: string[] = []
  const recordNavigation = (request: Request) => {
    if (request.isNavigationRequest() && request.frame() !== page.mainFrame())
      navigations.push(request)
  }
  const recordFailure = (request: Request) => {
    if (request.isNavigationRequest() && request.frame() !== page.mainFrame())
      failures.push(`${request.url()}: ${request.failure()?.errorText}`)
  }
  page.on('request', recordNavigation)
  page.on('requestfailed', recordFailure)
  try {
    await page.evaluate(
      ({ src, name }) => {
        const iframe = document.createElement('iframe')
        iframe.name = name
        iframe.style.display = 'none'
        iframe.src = src
        document.body.append(iframe)
      },
      { src: authorizationUrl.href, name: IFRAME_NAME },
    )
    const href = await page
      .waitForFunction(
        ({ prefix, name }) => {
          const iframe = document.querySelector<HTMLIFrameElement>(`iframe[name="${name}"]`)
          try {
            // Throws while the iframe shows another origin's document (the server's, or an error).
            const current = iframe?.contentWindow?.location.href
            return current?.startsWith(prefix) ? current : false
          } catch {
            return false
          }
        },
        { prefix: `${SILENT_CALLBACK}?`, name: IFRAME_NAME },
        { timeout: timeoutMs, polling: 50 },
      )
      .then((handle) => handle.jsonValue() as Promise<string>)
      .catch((error: unknown) => {
        throw new Error(
          `the hidden iframe did not come back to ${SILENT_CALLBACK} within ${timeoutMs} ms; ` +
            `frames: ${JSON.stringify(page.frames().map((frame) => frame.url()))}; ` +
            `navigations: ${JSON.stringify(navigations.map((request) => request.url()))}; ` +
            `failed: ${JSON.stringify(failures)}`,
          { cause: error },
        )
      })
    const requests: Request[] = []
    let request: Request | null | undefined = navigations.find((each) => each.url() === href)
    while (request) {
      requests.unshift(request)
      request = request.redirectedFrom()
    }
    const chain = await Promise.all(
      requests.map(async (request) => {
        const response = await request.response()
        return {
          url: request.url(),
          status: response?.status(),
          contentType: response?.headers()['content-type'],
        }
      }),
    )
    return { url: new URL(href), chain }
  } finally {
    page.off('request', recordNavigation)
    page.off('requestfailed', recordFailure)
  }
}
