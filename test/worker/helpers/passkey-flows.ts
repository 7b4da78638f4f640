import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { expect } from 'vitest'
import {
  Browser,
  createUser,
  exchangeCode,
  hiddenFields,
  responseParams,
  setCookies,
  spaRequest,
} from './browser'
import type { SoftwareAuthenticator } from './software-authenticator'
import { ISSUER } from './worker'

// The passkey ceremonies as the worker's pages and their script run them, for the registration
// and sign-in tests (passkey-registration.test.ts, passkey-sign-in.test.ts): a user signed in
// with the password, the account page's forms, the sign-in page's passkey answer.

/** The relying party id the worker derives from the test issuer's host. */
export const RP_ID = 'localhost'
export const PASSWORD = 'correct horse battery staple 42'

export interface Account {
  email: string
  userId: string
  browser: Browser
}

/** A new user of the demo tenant, signed in with the password through the demo SPA. */
export async function signedInUser(): Promise<Account> {
  const email = `passkey-${crypto.randomUUID()}@example.com`
  const userId = await createUser(email, PASSWORD)
  const browser = new Browser()
  const { query } = await spaRequest()
  const response = await browser.authorize(query, { email, password: PASSWORD })
  expect(response.status).toBe(303)
  return { email, userId, browser }
}

/** The account page's CSRF token. */
export async function accountCsrf(browser: Browser): Promise<string> {
  const page = await browser.fetch('/account')
  expect(page.status).toBe(200)
  // The page's forms carry the token of the __Host-csrf cookie (double submit).
  return hiddenFields(await page.text()).csrf ?? browser.cookies.get('__Host-csrf') ?? ''
}

/** The creation options the account page's script asks for. */
export async function creationOptions(browser: Browser) {
  const response = await browser.postForm('/account/passkeys/options', {
    csrf: await accountCsrf(browser),
  })
  return { response, options: response.ok ? await response.json<CreationOptions>() : undefined }
}

export interface CreationOptions {
  challenge: string
  rp: { id: string; name: string }
  user: { id: string; name: string }
  authenticatorSelection: { residentKey: string; userVerification: string }
  attestation: string
  excludeCredentials: { id: string }[]
}

/** Adds a passkey on the account page; answers where the page sent the browser. */
export async function addPasskey(
  account: Account,
  authenticator: SoftwareAuthenticator,
  tamper: (options: CreationOptions) => Promise<unknown> | unknown = (options) =>
    authenticator.create(options, ISSUER),
): Promise<string | null> {
  const { options } = await creationOptions(account.browser)
  if (options === undefined) throw new Error('no options')
  const credential = await tamper(options)
  const response = await account.browser.postForm('/account/passkeys', {
    csrf: await accountCsrf(account.browser),
    credential: JSON.stringify(credential),
  })
  expect(response.status).toBe(303)
  return response.headers.get('Location')
}

/** Opens the demo SPA's sign-in page in a browser: its hidden fields and the request. */
export async function signInPage(browser: Browser, overrides: Record<string, string> = {}) {
  const request = await spaRequest(overrides)
  const page = await browser.fetch(`/authorize?${new URLSearchParams(request.query)}`)
  expect(page.status).toBe(200)
  return { fields: hiddenFields(await page.text()), ...request }
}

/**
 * Signs in to the demo SPA with a passkey, the way the page's script does: request options, the
 * authenticator's answer (which `answer` may replace), the form. Answers the final response.
 */
export async function passkeySignIn(
  authenticator: SoftwareAuthenticator,
  answer: (challenge: string) => Promise<unknown> = (challenge) =>
    authenticator.get(challenge, ISSUER, RP_ID),
  browser = new Browser(),
) {
  const { fields, verifier } = await signInPage(browser)
  const options = await browser.postForm('/signin/passkey', fields)
  expect(options.status).toBe(200)
  const { challenge, rpId, userVerification } = await options.json<{
    challenge: string
    rpId: string
    userVerification: string
  }>()
  expect({ rpId, userVerification }).toEqual({ rpId: RP_ID, userVerification: 'required' })
  const credential = await answer(challenge)
  const response = await browser.postForm('/signin', {
    ...fields,
    passkey: JSON.stringify(credential),
  })
  return { response, verifier, browser, credential }
}

export async function expectRefused(response: Response) {
  expect(response.status).toBe(400)
  expect(await response.text()).toContain('The passkey was not accepted.')
  expect(setCookies(response).some((c) => c.startsWith('__Host-session='))).toBe(false)
}

export async function idTokenOf(response: Response, verifier: string) {
  const code = responseParams(response).get('code') ?? ''
  const tokens = await (await exchangeCode(code, verifier)).json<{ id_token: string }>()
  return decodeJwt(tokens.id_token)
}

export async function auditActions(userId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT action FROM audit_events WHERE target_id = ?1 AND action LIKE 'passkey.%' ORDER BY id",
  )
    .bind(userId)
    .all<{ action: string }>()
  return results.map((row) => row.action)
}
