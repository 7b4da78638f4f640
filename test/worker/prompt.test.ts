import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../worker/src/crypto/hash'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  createUser,
  exchangeCode,
  responseParams,
  spaRequest,
} from './helpers/browser'
import { seedDemoTenant } from './helpers/tenant'
import { ISSUER } from './helpers/worker'

const CREDENTIALS = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }

beforeAll(seedDemoTenant)

/** A browser signed in through the SPA, with the ID token of that first sign-in. */
async function signedInBrowser() {
  const browser = new Browser()
  const { query, verifier } = await spaRequest()
  const code = responseParams(await browser.authorize(query, CREDENTIALS)).get('code') ?? ''
  const { id_token: idToken } = (await (await exchangeCode(code, verifier)).json()) as {
    id_token: string
  }
  return { browser, idToken }
}

/** Runs a request in the browser and redeems the code, answering the new ID token's claims. */
async function idTokenAfter(
  browser: Browser,
  overrides: Record<string, string>,
  credentials = CREDENTIALS,
) {
  const { query, verifier } = await spaRequest(overrides)
  const response = await browser.authorize(query, credentials)
  const code = responseParams(response).get('code') ?? ''
  const { id_token: idToken } = (await (await exchangeCode(code, verifier)).json()) as {
    id_token: string
  }
  return decodeJwt(idToken)
}

async function ageSession(browser: Browser, seconds: number) {
  const hash = await sha256(browser.cookies.get('__Host-session') ?? '')
  await env.DB.prepare('UPDATE sessions SET auth_time = auth_time - ?2 WHERE secret_hash = ?1')
    .bind(hash, seconds)
    .run()
}

describe('prompt=none and silent renewal (OIDC Core §3.1.2.1)', () => {
  it('H01 H11 answers prompt=none without a session by a 303 with login_required, state and iss, and no body', async () => {
    const { query } = await spaRequest({ prompt: 'none' })
    const response = await new Browser().fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(303)
    expect(await response.text()).toBe('')
    const params = responseParams(response)
    expect(params.get('error')).toBe('login_required')
    expect(params.get('state')).toBe(query.state)
    expect(params.get('iss')).toBe(ISSUER)
  })

  it('H02 answers prompt=none with a session by a code, with the same sub and auth_time', async () => {
    const { browser, idToken } = await signedInBrowser()
    const first = decodeJwt(idToken)
    const renewed = await idTokenAfter(browser, { prompt: 'none' })
    expect(renewed.sub).toBe(first.sub)
    expect(renewed.auth_time).toBe(first.auth_time)
  })

  it('H03 never needs consent: the administrator consented for the tenant', async () => {
    const { browser } = await signedInBrowser()
    const { query } = await spaRequest({ prompt: 'none', scope: 'openid profile email api' })
    expect(responseParams(await browser.authorize(query)).get('code')).toBeTruthy()
  })

  it('H04 refuses prompt=none combined with another value', async () => {
    const { browser } = await signedInBrowser()
    const { query } = await spaRequest({ prompt: 'none consent' })
    expect(responseParams(await browser.authorize(query)).get('error')).toBe('invalid_request')
  })

  it('H05 makes the user sign in again with prompt=login, with a later auth_time', async () => {
    const { browser, idToken } = await signedInBrowser()
    // The first sign-in happened 10 seconds ago, as far as the session knows.
    await ageSession(browser, 10)
    const previous = (decodeJwt(idToken).auth_time as number) - 10
    const { query } = await spaRequest({ prompt: 'login' })
    const page = await browser.fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(await page.text()).toContain('name="password"')
    const renewed = await idTokenAfter(browser, { prompt: 'login' })
    expect(renewed.auth_time).toBeGreaterThan(previous)
  })

  it('H06 makes the user sign in again when the session is older than max_age; max_age=0 acts as prompt=login', async () => {
    const { browser } = await signedInBrowser()
    await ageSession(browser, 120)
    for (const maxAge of ['60', '0']) {
      const { query } = await spaRequest({ max_age: maxAge })
      const page = await browser.fetch(`/authorize?${new URLSearchParams(query)}`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('name="password"')
    }
    const withNone = await spaRequest({ max_age: '60', prompt: 'none' })
    expect(responseParams(await browser.authorize(withNone.query)).get('error')).toBe(
      'login_required',
    )
    const claims = await idTokenAfter(browser, { max_age: '60' })
    expect(Math.abs((claims.auth_time as number) - Date.now() / 1000)).toBeLessThan(5)
  })

  it('H07 needs no sign-in when max_age is larger than the session age, and keeps auth_time', async () => {
    const { browser, idToken } = await signedInBrowser()
    const claims = await idTokenAfter(browser, { max_age: '10000', prompt: 'none' })
    expect(claims.auth_time).toBe(decodeJwt(idToken).auth_time)
  })

  it('H08 honours id_token_hint: same user succeeds, another user gets login_required, garbage is invalid_request', async () => {
    const { browser, idToken } = await signedInBrowser()
    const same = await spaRequest({ prompt: 'none', id_token_hint: idToken })
    expect(responseParams(await browser.authorize(same.query)).get('code')).toBeTruthy()

    const email = `other-${crypto.randomUUID()}@demo.example`
    await createUser(email, 'another good password')
    const other = new Browser()
    const otherFirst = await spaRequest()
    await other.authorize(otherFirst.query, { email, password: 'another good password' })
    const mismatch = await spaRequest({ prompt: 'none', id_token_hint: idToken })
    expect(responseParams(await other.authorize(mismatch.query)).get('error')).toBe(
      'login_required',
    )

    const garbage = await spaRequest({ prompt: 'none', id_token_hint: 'not.a.token' })
    expect(responseParams(await browser.authorize(garbage.query)).get('error')).toBe(
      'invalid_request',
    )
  })

  it.each(['-1', '1.5', 'abc', '9007199254740993000'])(
    'H09 refuses max_age=%s with invalid_request',
    async (maxAge) => {
      const { browser } = await signedInBrowser()
      const { query } = await spaRequest({ max_age: maxAge })
      expect(responseParams(await browser.authorize(query)).get('error')).toBe('invalid_request')
    },
  )
})
