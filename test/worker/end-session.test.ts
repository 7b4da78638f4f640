import { beforeAll, describe, expect, it } from 'vitest'
import {
  createUser,
  exchangeCode,
  hiddenFields,
  responseParams,
  SPA_CLIENT_ID,
  setCookies,
  signedInTokens,
  spaRequest,
} from './helpers/browser'
import { adminToken, api, seedDemoTenant } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

beforeAll(seedDemoTenant)

const AFTER_LOGOUT = 'http://localhost:5173/'

describe('RP-initiated logout (end_session_endpoint)', () => {
  it('signs out at once with a valid id_token_hint, returns with state, and revokes the session tokens', async () => {
    const { browser, tokens } = await signedInTokens()
    const query = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: AFTER_LOGOUT,
      state: 'bye',
    })
    const response = await browser.fetch(`/end_session?${query}`)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toBe(`${AFTER_LOGOUT}?state=bye`)
    expect(setCookies(response).some((c) => c.startsWith('__Host-session=;'))).toBe(true)
    const silent = await spaRequest({ prompt: 'none' })
    expect(responseParams(await browser.authorize(silent.query)).get('error')).toBe(
      'login_required',
    )
    const userinfo = await fetchWorker('/userinfo', {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    })
    expect(userinfo.status).toBe(401)
  })

  it('asks for confirmation, with a Sign out button, without a hint; then signs out', async () => {
    const { browser } = await signedInTokens()
    const query = new URLSearchParams({
      client_id: SPA_CLIENT_ID,
      post_logout_redirect_uri: AFTER_LOGOUT,
      state: 's',
    })
    const page = await browser.fetch(`/end_session?${query}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
    expect(page.headers.get('Content-Security-Policy')).toContain(
      "form-action 'self' http://localhost:5173;",
    )
    const html = await page.text()
    expect(html).toContain('<button type="submit">Sign out</button>')
    // Still signed in until the user confirms.
    const before = await spaRequest({ prompt: 'none' })
    expect(responseParams(await browser.authorize(before.query)).get('code')).toBeTruthy()
    const confirmed = await browser.postForm('/end_session', hiddenFields(html))
    expect(confirmed.status).toBe(303)
    expect(confirmed.headers.get('Location')).toBe(`${AFTER_LOGOUT}?state=s`)
    const after = await spaRequest({ prompt: 'none' })
    expect(responseParams(await browser.authorize(after.query)).get('error')).toBe('login_required')
  })

  it('shows an error page, never a redirect, for an unregistered post_logout_redirect_uri', async () => {
    const { browser, tokens } = await signedInTokens()
    const query = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: 'https://evil.example/',
    })
    const response = await browser.fetch(`/end_session?${query}`)
    expect(response.status).toBe(400)
    expect(response.headers.get('Location')).toBeNull()
  })

  it('N07 answers a confirmation sent as malformed multipart with a 4xx error page, and keeps the session', async () => {
    const { browser } = await signedInTokens()
    const page = await browser.fetch(`/end_session?client_id=${SPA_CLIENT_ID}`)
    const fields = hiddenFields(await page.text())
    const response = await browser.fetch('/end_session', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x', Origin: ISSUER },
      body: `--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${fields.csrf}`,
    })
    expect(response.status).toBe(415)
    expect(response.headers.get('Location')).toBeNull()
    expect(await response.text()).toContain('role="alert"')
    const silent = await spaRequest({ prompt: 'none' })
    expect(responseParams(await browser.authorize(silent.query)).get('code')).toBeTruthy()
  })

  it('A01 matches a loopback IP literal post_logout_redirect_uri on any port, like redirect URIs (RFC 8252 §7.3)', async () => {
    const admin = await adminToken()
    const created = (await (
      await api(admin, 'POST', '/authorization-code-clients', {
        name: 'Native app with logout',
        redirectUris: ['http://127.0.0.1/cb'],
        postLogoutRedirectUris: ['http://127.0.0.1:8080/bye'],
      })
    ).json()) as { id: string }
    const ask = (returnTo: string) =>
      fetchWorker(
        `/end_session?${new URLSearchParams({ client_id: created.id, post_logout_redirect_uri: returnTo })}`,
      )
    const anyPort = await ask('http://127.0.0.1:49152/bye')
    expect(anyPort.status).toBe(200)
    expect(anyPort.headers.get('Content-Security-Policy')).toContain(
      "form-action 'self' http://127.0.0.1:49152;",
    )
    const otherPath = await ask('http://127.0.0.1:49152/other')
    expect(otherPath.status).toBe(400)
    expect(otherPath.headers.get('Location')).toBeNull()
  })

  it('refuses a hint this server did not sign', async () => {
    const response = await fetchWorker(`/end_session?id_token_hint=e30.e30.sig`)
    expect(response.status).toBe(400)
  })

  it('without a post-logout address, shows that the user is signed out', async () => {
    const { browser, tokens } = await signedInTokens()
    const response = await browser.fetch(`/end_session?id_token_hint=${tokens.id_token}`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('You are signed out')
    const silent = await spaRequest({ prompt: 'none' })
    expect(responseParams(await browser.authorize(silent.query)).get('error')).toBe(
      'login_required',
    )
  })
})

describe('sign-out and codes already issued', () => {
  it('refuses a code whose session was ended before the code was redeemed', async () => {
    const { browser } = await signedInTokens()
    const { query, verifier } = await spaRequest()
    const code = responseParams(await browser.authorize(query)).get('code') ?? ''
    const page = await browser.fetch(`/end_session?client_id=${SPA_CLIENT_ID}`)
    expect((await browser.postForm('/end_session', hiddenFields(await page.text()))).status).toBe(
      200,
    )
    const response = await exchangeCode(code, verifier)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant')
  })
})

describe("sign-out with another user's ID token", () => {
  it('asks before signing out when the hint names someone else, and keeps the session meanwhile', async () => {
    const { tokens: othersTokens } = await signedInTokens()
    const { browser } = await signedInTokens({
      email: await newUserEmail(),
      password: 'yet another good password',
    })
    const response = await browser.fetch(`/end_session?id_token_hint=${othersTokens.id_token}`)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('<button type="submit">Sign out</button>')
    const silent = await spaRequest({ prompt: 'none' })
    expect(responseParams(await browser.authorize(silent.query)).get('code')).toBeTruthy()
  })
})

async function newUserEmail(): Promise<string> {
  const email = `logout-${crypto.randomUUID()}@demo.example`
  await createUser(email, 'yet another good password')
  return email
}
