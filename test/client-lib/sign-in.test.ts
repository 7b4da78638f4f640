import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureNavigation, createClient, disposeClients } from './helpers/browser.js'
import {
  CLIENT_ID,
  createFakeProvider,
  type FakeProvider,
  ISSUER,
  REDIRECT_URI,
} from './helpers/fake-provider.js'

const TX_KEY = `edge-identity:${CLIENT_ID}@${ISSUER}:tx`

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
})
afterEach(disposeClients)

async function signInUrl(options?: Parameters<ReturnType<typeof createClient>['signIn']>[0]) {
  const navigate = captureNavigation()
  await createClient(provider).signIn(options)
  expect(navigate).toHaveBeenCalledTimes(1)
  const url = new URL(String(navigate.mock.calls[0]?.[0]))
  navigate.mockRestore()
  return url
}

describe('signIn()', () => {
  it('navigates to the discovered authorization_endpoint with the code flow parameters (RFC 6749 §4.1.1, OIDC Core §3.1.2.1)', async () => {
    const url = await signInUrl()
    expect(url.origin + url.pathname).toBe(`${ISSUER}/authorize`)
    const params = url.searchParams
    expect(params.get('response_type')).toBe('code')
    expect(params.get('client_id')).toBe(CLIENT_ID)
    expect(params.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(params.get('scope')).toBe('openid profile email')
    expect(provider.requestsTo('/.well-known/openid-configuration')).toHaveLength(1)
  })

  it('sends an S256 code_challenge of the verifier kept for the round trip, never plain (RFC 7636 §4.2, RFC 9700 §2.1.1)', async () => {
    const url = await signInUrl()
    const transaction = JSON.parse(sessionStorage.getItem(TX_KEY) ?? '{}')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(transaction.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/)
    const expected = createHash('sha256').update(transaction.verifier).digest('base64url')
    expect(url.searchParams.get('code_challenge')).toBe(expected)
  })

  it('binds the request to fresh random state and nonce kept in sessionStorage (RFC 6749 §10.12, OIDC Core §3.1.2.1)', async () => {
    const first = await signInUrl()
    const transaction = JSON.parse(sessionStorage.getItem(TX_KEY) ?? '{}')
    expect(first.searchParams.get('state')).toBe(transaction.state)
    expect(first.searchParams.get('nonce')).toBe(transaction.nonce)
    expect(transaction.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const second = await signInUrl()
    expect(second.searchParams.get('state')).not.toBe(first.searchParams.get('state'))
    expect(second.searchParams.get('nonce')).not.toBe(first.searchParams.get('nonce'))
  })

  it('passes authorizationParams (login_hint, prompt) when given, and leaves them out otherwise (OIDC Core §3.1.2.1)', async () => {
    const plain = await signInUrl()
    expect(plain.searchParams.has('login_hint')).toBe(false)
    expect(plain.searchParams.has('prompt')).toBe(false)
    const hinted = await signInUrl({
      authorizationParams: { login_hint: 'ada@example.com', prompt: 'login' },
    })
    expect(hinted.searchParams.get('login_hint')).toBe('ada@example.com')
    expect(hinted.searchParams.get('prompt')).toBe('login')
  })

  it('remembers where the user was, as a path of this origin only (open redirect, RFC 9700 §4.11)', async () => {
    history.replaceState(null, '', '/orders/7?tab=items#line-2')
    await signInUrl()
    expect(JSON.parse(sessionStorage.getItem(TX_KEY) ?? '{}').returnTo).toBe(
      '/orders/7?tab=items#line-2',
    )
    await signInUrl({ returnTo: 'https://evil.example/phish' })
    expect(JSON.parse(sessionStorage.getItem(TX_KEY) ?? '{}').returnTo).toBe('/')
  })

  it('requests the configured scope', async () => {
    const navigate = captureNavigation()
    await createClient(provider, { scope: 'openid profile email api' }).signIn()
    expect(new URL(String(navigate.mock.calls[0]?.[0])).searchParams.get('scope')).toBe(
      'openid profile email api',
    )
  })
})
