import { beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  responseParams,
  SPA_REDIRECT,
  spaRequest,
} from './helpers/browser'
import { createHybridClient, HYBRID_REDIRECT } from './helpers/hybrid'
import { adminToken, api, d1PrimaryRoundTrips, seedDemoTenant } from './helpers/tenant'
import { ISSUER } from './helpers/worker'

const CREDENTIALS = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }
let signedIn: Browser

beforeAll(async () => {
  await seedDemoTenant()
  signedIn = new Browser()
  const { query } = await spaRequest()
  await signedIn.authorize(query, CREDENTIALS)
})

/** An authorization-code client of the demo tenant with these redirect URIs; answers its id. */
async function createSpaClient(redirectUris: string[]): Promise<string> {
  const admin = await adminToken()
  const response = await api(admin, 'POST', '/authorization-code-clients', {
    name: 'Native app',
    redirectUris,
  })
  if (response.status !== 201) throw new Error(`client not created: ${await response.text()}`)
  return ((await response.json()) as { id: string }).id
}

/** An authorization request answered with an error page: no redirect anywhere. */
async function expectErrorPage(query: Record<string, string>) {
  const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
  expect(response.status).toBe(400)
  expect(response.headers.get('Location')).toBeNull()
  expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
  return response.text()
}

/** An authorization request answered with a redirect carrying an error, state and iss. */
async function expectErrorRedirect(query: Record<string, string>, error: string) {
  const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
  expect(response.status).toBe(303)
  const params = responseParams(response)
  expect(params.get('error')).toBe(error)
  expect(params.get('iss')).toBe(ISSUER)
  if (query.state !== undefined) expect(params.get('state')).toBe(query.state)
  return params
}

describe('authorization endpoint: client and redirect URI (RFC 6749 §4.1.2.1)', () => {
  it.each([
    ['a trailing slash', `${SPA_REDIRECT}/`],
    ['a changed case in the path', 'http://localhost:5173/Callback'],
    ['an extra query', `${SPA_REDIRECT}?x=1`],
    [
      'another port on localhost (a name, not a loopback IP literal)',
      'http://localhost:5174/callback',
    ],
    ['a fragment', `${SPA_REDIRECT}#frag`],
  ])(
    'A01 shows an error page, never a redirect, for a redirect_uri with %s',
    async (_, redirectUri) => {
      const { query } = await spaRequest({ redirect_uri: redirectUri })
      expect(await expectErrorPage(query)).toContain('not registered')
    },
  )

  it('A01 matches a loopback IP literal redirect_uri on any port, and nothing else of it (RFC 8252 §7.3)', async () => {
    const client = await createSpaClient(['http://127.0.0.1:8080/cb', 'http://[::1]/cb'])
    for (const redirectUri of [
      'http://127.0.0.1:51234/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:4000/cb',
    ]) {
      const { query } = await spaRequest({
        client_id: client,
        redirect_uri: redirectUri,
        scope: 'openid',
      })
      const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
      expect(response.status).toBe(303)
      expect(response.headers.get('Location')).toContain(`${redirectUri}?code=`)
    }
    for (const redirectUri of [
      'http://127.0.0.1:51234/cb/',
      'http://127.0.0.1:51234/other',
      'http://127.0.0.1:0/cb',
      'http://127.0.0.1:51234@evil.example/cb',
      'https://127.0.0.1:8080/cb',
      'http://localhost:8080/cb',
      'http://[::1]:4000/cb?x=1',
    ]) {
      const { query } = await spaRequest({ client_id: client, redirect_uri: redirectUri })
      expect(await expectErrorPage(query)).toContain('not registered')
    }
  })

  it('A02 shows an error page for a missing or unknown client_id', async () => {
    const { query } = await spaRequest()
    const { client_id: _, ...withoutClient } = query
    await expectErrorPage(withoutClient)
    await expectErrorPage({ ...query, client_id: crypto.randomUUID() })
  })

  it('A02 shows an error page when redirect_uri is missing and the client has several', async () => {
    const { query } = await spaRequest()
    const { redirect_uri: _, ...withoutRedirect } = query
    await expectErrorPage(withoutRedirect)
  })

  it('A05 shows an error page for a repeated redirect_uri, and redirects invalid_request for a repeated state', async () => {
    const { query } = await spaRequest()
    const twice = new URLSearchParams(query)
    twice.append('redirect_uri', SPA_REDIRECT)
    const page = await signedIn.fetch(`/authorize?${twice}`)
    expect(page.status).toBe(400)
    expect(page.headers.get('Location')).toBeNull()
    const twoStates = new URLSearchParams(query)
    twoStates.append('state', 'other')
    const redirect = await signedIn.fetch(`/authorize?${twoStates}`)
    expect(responseParams(redirect).get('error')).toBe('invalid_request')
  })

  it('A05 ignores unknown parameters', async () => {
    const { query } = await spaRequest({ extra: 'foobar' })
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(responseParams(response).get('code')).toBeTruthy()
  })

  it('A06 gives the same result with the scope values and parameters in another order', async () => {
    const { query } = await spaRequest({ scope: 'api email profile openid' })
    const reversed = new URLSearchParams(Object.entries(query).reverse())
    const response = await signedIn.fetch(`/authorize?${reversed}`)
    expect(responseParams(response).get('code')).toBeTruthy()
    expect(responseParams(response).get('state')).toBe(query.state)
  })

  it('A07 handles an authorization request sent as a form POST like a GET', async () => {
    const { query } = await spaRequest()
    const response = await signedIn.fetch('/authorize', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(query).toString(),
    })
    expect(response.status).toBe(303)
    expect(responseParams(response).get('code')).toBeTruthy()
  })

  it('A11 sends no Access-Control-Allow-Origin from the authorization endpoint', async () => {
    const { query } = await spaRequest()
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`, {
      headers: { Origin: 'http://localhost:5173' },
    })
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})

describe('authorization endpoint: request errors are redirected with state and iss (RFC 9207)', () => {
  it.each([
    ['an unknown scope', { scope: 'openid admin' }, 'invalid_scope'],
    ['an unsupported response_type', { response_type: 'token' }, 'unsupported_response_type'],
    ['prompt=none login', { prompt: 'none login' }, 'invalid_request'],
  ])('A03 redirects %s with the registered error', async (_, overrides, error) => {
    const { query } = await spaRequest(overrides)
    await expectErrorRedirect(query, error)
  })

  it('A08 redirects a missing response_type with invalid_request', async () => {
    const { query } = await spaRequest()
    const { response_type: _, ...withoutType } = query
    await expectErrorRedirect(withoutType, 'invalid_request')
  })

  it('refuses code id_token from a browser (authorization-code) client', async () => {
    const { query } = await spaRequest({ response_type: 'code id_token' })
    await expectErrorRedirect(query, 'unauthorized_client')
  })

  it('B01 redirects a public client request without code_challenge with invalid_request', async () => {
    const { query } = await spaRequest()
    const { code_challenge: _, code_challenge_method: __, ...withoutPkce } = query
    await expectErrorRedirect(withoutPkce, 'invalid_request')
  })

  it('B02 refuses code_challenge_method plain, or none (plain by default)', async () => {
    const { query } = await spaRequest({ code_challenge_method: 'plain' })
    await expectErrorRedirect(query, 'invalid_request')
    const { code_challenge_method: _, ...withoutMethod } = query
    await expectErrorRedirect(withoutMethod, 'invalid_request')
  })

  it.each(['short', `${'a'.repeat(42)}=`, `${'a'.repeat(42)}+`, 'a'.repeat(44)])(
    'B03 refuses the malformed S256 code_challenge %j',
    async (challenge) => {
      const { query } = await spaRequest({ code_challenge: challenge })
      await expectErrorRedirect(query, 'invalid_request')
    },
  )

  it('A10 accepts a code request without nonce', async () => {
    const { query } = await spaRequest()
    const { nonce: _, ...withoutNonce } = query
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(withoutNonce)}`)
    expect(responseParams(response).get('code')).toBeTruthy()
  })

  it('I03 puts iss in every authorization response, success or error', async () => {
    const success = await spaRequest()
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(success.query)}`)
    expect(responseParams(response).get('iss')).toBe(ISSUER)
    const failure = await spaRequest({ scope: 'nope' })
    const failed = await signedIn.fetch(`/authorize?${new URLSearchParams(failure.query)}`)
    expect(responseParams(failed).get('iss')).toBe(ISSUER)
  })

  it('A15 escapes reflected values on error pages', async () => {
    const { query } = await spaRequest({ client_id: '"><script>alert(1)</script>' })
    const html = await expectErrorPage(query)
    expect(html).not.toContain('<script>')
  })
})

describe('authorization endpoint: bounded and readable input', () => {
  it('N09 refuses a state over 512 characters with invalid_request, without reflecting it', async () => {
    const { query } = await spaRequest({ state: 's'.repeat(513) })
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    const params = responseParams(response)
    expect(params.get('error')).toBe('invalid_request')
    expect(params.get('state')).toBeNull()
    expect(params.get('error_description')).toContain('state')
    const { query: longest } = await spaRequest({ state: 's'.repeat(512) })
    const ok = await signedIn.fetch(`/authorize?${new URLSearchParams(longest)}`)
    expect(responseParams(ok).get('code')).toBeTruthy()
    expect(responseParams(ok).get('state')).toBe(longest.state)
  })

  it('N09 refuses a nonce over 512 characters with invalid_request', async () => {
    const { query } = await spaRequest({ nonce: 'n'.repeat(513) })
    const params = await expectErrorRedirect(query, 'invalid_request')
    expect(params.get('error_description')).toContain('nonce')
  })

  it.each([
    ['malformed multipart/form-data', 'multipart/form-data; boundary=x', '--x\r\nbroken', 415],
    ['JSON', 'application/json', '{"client_id":"x"}', 415],
    ['another charset', 'application/x-www-form-urlencoded; charset=iso-8859-1', 'x=%E9', 415],
    ['a malformed percent-escape', 'application/x-www-form-urlencoded', 'x=%zz', 400],
    ['a percent-escape that is not UTF-8', 'application/x-www-form-urlencoded', 'x=%E9', 400],
  ])(
    'N07 answers a POSTed authorization request with %s with a 4xx error page, never a redirect',
    async (_, contentType, body, status) => {
      const { query } = await spaRequest()
      const form = `${new URLSearchParams(query)}&${body}`
      const response = await signedIn.fetch('/authorize', {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: contentType.includes('urlencoded') ? form : body,
      })
      expect(response.status).toBe(status)
      expect(response.headers.get('Location')).toBeNull()
      expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
      expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
      expect(await response.text()).toContain('role="alert"')
    },
  )
})

describe('authorization endpoint: cost', () => {
  it('answers a request with a valid session in at most two round trips to the D1 primary', async () => {
    const { query } = await spaRequest()
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(303)
    // The client's metadata comes from a read replica, at the same time (read-replication.test.ts).
    expect(d1PrimaryRoundTrips(response)).toBeLessThanOrEqual(2)
  })
})

describe('authorization endpoint: hybrid clients (OIDC Core §3.3)', () => {
  it('A09 returns code id_token in the fragment and refuses response_mode=query', async () => {
    const created = await createHybridClient()
    const query = {
      client_id: created.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code id_token',
      scope: 'openid',
      state: 's1',
      nonce: 'n1',
    }
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    const location = new URL(response.headers.get('Location') ?? '')
    expect(location.search).toBe('')
    const params = new URLSearchParams(location.hash.slice(1))
    expect(params.get('code')).toBeTruthy()
    expect(params.get('id_token')).toBeTruthy()
    expect(params.get('iss')).toBe(ISSUER)
    const asQuery = await signedIn.fetch(
      `/authorize?${new URLSearchParams({ ...query, response_mode: 'query' })}`,
    )
    expect(responseParams(asQuery).get('error')).toBe('invalid_request')
    const { nonce: _, ...withoutNonce } = query
    const noNonce = await signedIn.fetch(`/authorize?${new URLSearchParams(withoutNonce)}`)
    // A10: code id_token without nonce is refused.
    expect(responseParams(noNonce).get('error')).toBe('invalid_request')
  })

  it('N06 refuses code id_token without openid with invalid_scope, and sends no ID token (OIDC Core §3.3.2.11)', async () => {
    const created = await createHybridClient({ roleIds: ['account-administrator'] })
    const query = {
      client_id: created.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code id_token',
      scope: 'api',
      state: 's1',
      nonce: 'n1',
    }
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(303)
    const params = responseParams(response)
    expect(params.get('error')).toBe('invalid_scope')
    expect(params.get('state')).toBe('s1')
    expect(params.get('id_token')).toBeNull()
    expect(params.get('code')).toBeNull()
    // The same client with openid gets its front-channel ID token.
    const ok = await signedIn.fetch(
      `/authorize?${new URLSearchParams({ ...query, scope: 'openid api' })}`,
    )
    expect(responseParams(ok).get('id_token')).toBeTruthy()
  })

  it('sends errors in the form_post response mode too, once the redirect URI is verified', async () => {
    const created = await createHybridClient()
    const query = {
      client_id: created.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code id_token',
      response_mode: 'form_post',
      scope: 'openid nope',
      state: 's2',
      nonce: 'n1',
    }
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<form method="post" action="https://web.example.com/signin-oidc"')
    expect(html).toContain('name="error" value="invalid_scope"')
    expect(html).toContain('name="state" value="s2"')
    expect(html).toContain(`name="iss" value="${ISSUER}"`)
  })

  it('answers response_mode=form_post with a self-submitting form to the redirect URI', async () => {
    const created = await createHybridClient()
    const query = {
      client_id: created.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code id_token',
      response_mode: 'form_post',
      scope: 'openid',
      state: 'st"ate',
      nonce: 'n1',
    }
    const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Security-Policy')).toContain(
      'form-action https://web.example.com',
    )
    const html = await response.text()
    expect(html).toContain('<form method="post" action="https://web.example.com/signin-oidc"')
    expect(html).toContain('name="id_token"')
    expect(html).toContain('name="state" value="st&quot;ate"')
    expect(html).toContain(`name="iss" value="${ISSUER}"`)
  })
})

describe('authorization endpoint: who may get a management API token', () => {
  it('refuses the api scope to a client that does not hold Account Administrator', async () => {
    const admin = await adminToken()
    const widget = (await (
      await api(admin, 'POST', '/authorization-code-clients', {
        name: 'Low-trust widget',
        redirectUris: ['https://widget.example/cb'],
      })
    ).json()) as { id: string }
    const { query } = await spaRequest({
      client_id: widget.id,
      redirect_uri: 'https://widget.example/cb',
      scope: 'openid api',
    })
    await expectErrorRedirect(query, 'invalid_scope')
  })

  it('refuses a scope with neither openid nor api (the token would be for no resource)', async () => {
    const { query } = await spaRequest({ scope: 'profile email' })
    await expectErrorRedirect(query, 'invalid_scope')
  })
})
