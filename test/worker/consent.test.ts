import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { type Client, newClient, type ThirdPartyMetadata } from '../../worker/src/domain/client'
import { insertClient } from '../../worker/src/storage/clients'
import { insertResource } from '../../worker/src/storage/resources'
import {
  Browser,
  createUser,
  exchangeCode,
  hiddenFields,
  pkce,
  responseParams,
  SPA_CLIENT_ID,
  SPA_REDIRECT,
  spaRequest,
} from './helpers/browser'
import { type DpopKey, dpopKey, dpopProof } from './helpers/dpop'
import { seedDemoTenant, TENANT_ID, tokenRequest } from './helpers/tenant'
import { fetchWorker, ISSUER, testDb } from './helpers/worker'

beforeAll(seedDemoTenant)

const PASSWORD = 'consent-test-password-1'
const now = () => Math.floor(Date.now() / 1000)

interface ThirdParty {
  client: Client
  redirectUri: string
  host: string
}

/** A third-party client of the demo tenant, as the contract of issue 17 makes one. */
async function thirdPartyClient(
  overrides: Partial<ThirdPartyMetadata> = {},
  name = 'Research Agent',
  redirectHost?: string,
  /** It registered the refresh_token grant (RFC 7591 §2 `grant_types`). */
  refreshGrant = true,
): Promise<ThirdParty> {
  const host = `tp-${crypto.randomUUID().slice(0, 8)}.example`
  const registration = overrides.registration ?? 'metadata-document'
  const id =
    registration === 'metadata-document' ? `https://${host}/client.json` : crypto.randomUUID()
  const redirectUri = `https://${redirectHost ?? host}/callback`
  const client = newClient(
    {
      id,
      tenantId: TENANT_ID,
      type: 'authorization-code',
      name,
      roleIds: [],
      redirectUris: [redirectUri],
      allowRefreshToken: refreshGrant,
      thirdParty: {
        registration,
        tokenEndpointAuthMethod: 'none',
        jwksUri: null,
        logoUri: null,
        clientUri: null,
        ...overrides,
      },
    },
    now(),
  )
  await insertClient(testDb(), client, undefined)
  if (registration === 'metadata-document') {
    // As if its document had just been fetched: no fetch before the cached copy expires.
    await env.DB.prepare('UPDATE clients SET metadata_expires_at = ?1 WHERE id = ?2')
      .bind(now() + 3600, id)
      .run()
  }
  return { client, redirectUri, host }
}

/** A signed-in user with their own browser. */
async function signedInUser() {
  const email = `consent-${crypto.randomUUID()}@example.com`
  const userId = await createUser(email, PASSWORD)
  return { browser: new Browser(), credentials: { email, password: PASSWORD }, userId }
}

async function authorizationQuery(tp: ThirdParty, overrides: Record<string, string> = {}) {
  const { verifier, challenge } = await pkce()
  const query: Record<string, string> = {
    client_id: tp.client.id,
    redirect_uri: tp.redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state: crypto.randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  }
  return { query, verifier }
}

/** Answers the consent page the response shows, with `decision`. */
async function answer(browser: Browser, page: Response, decision: 'allow' | 'deny') {
  const html = await page.text()
  expect(html).toContain('Allow access?')
  return browser.postForm('/authorize/consent', { ...hiddenFields(html), decision })
}

const consentRow = (userId: string, clientId: string) =>
  env.DB.prepare('SELECT * FROM consents WHERE user_id = ?1 AND client_id = ?2')
    .bind(userId, clientId)
    .first<{ scopes: string; resources: string }>()

function tokenOf(tp: ThirdParty, code: string, verifier: string, headers = {}) {
  return tokenRequest(
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: tp.redirectUri,
      client_id: tp.client.id,
      code_verifier: verifier,
    },
    headers,
  )
}

function refreshOf(tp: ThirdParty, refreshToken: string, headers = {}) {
  return tokenRequest(
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: tp.client.id },
    headers,
  )
}

interface Tokens {
  access_token: string
  refresh_token?: string
  token_type: string
  scope: string
}

/** Signs in, allows, and redeems the code: the tokens of a third-party client. */
async function consentedTokens(
  tp: ThirdParty,
  scope = 'openid offline_access',
  key?: DpopKey,
): Promise<{ tokens: Tokens; browser: Browser; userId: string }> {
  const { browser, credentials, userId } = await signedInUser()
  const { query, verifier } = await authorizationQuery(tp, { scope })
  const allowed = await answer(browser, await browser.authorize(query, credentials), 'allow')
  expect(allowed.status).toBe(303)
  const code = responseParams(allowed).get('code') ?? ''
  const headers = key === undefined ? {} : { DPoP: await dpopProof(key) }
  const response = await tokenOf(tp, code, verifier, headers)
  expect(response.status).toBe(200)
  return { tokens: (await response.json()) as Tokens, browser, userId }
}

const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error

describe('the consent page of third-party clients (issue 17)', () => {
  it('A12 shows the client, its host, the scopes in words and the resources, framed by no page', async () => {
    const tp = await thirdPartyClient()
    const identifier = `https://files-${crypto.randomUUID().slice(0, 8)}.example/api`
    await insertResource(testDb(), {
      id: crypto.randomUUID(),
      tenantId: TENANT_ID,
      identifier,
      name: 'Files API',
      scopes: ['files:read'],
      accessTokenLifetime: 600,
      requireDpop: false,
      createdAt: now(),
      updatedAt: now(),
    })
    const { browser, credentials } = await signedInUser()
    const { query } = await authorizationQuery(tp, {
      scope: 'openid email offline_access files:read',
      resource: identifier,
    })
    const page = await browser.authorize(query, credentials)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Research Agent wants to access your account.')
    expect(html).toContain(`Its client ID is published by ${tp.host}.`)
    expect(html).toContain('See your email address')
    expect(html).toContain('Stay signed in: access your data when you are not present')
    expect(html).toContain('files:read at Files API')
    expect(html).toContain(`Files API (${identifier})`)
    expect(html).toMatch(/<button type="submit" name="decision" value="allow">Allow<\/button>/)
    expect(html).toMatch(/value="deny"[^>]*>Deny<\/button>/)
    expect(html).not.toContain('<img')
    const csp = page.headers.get('Content-Security-Policy') ?? ''
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain(`form-action 'self' https://${tp.host}`)
    expect(page.headers.get('X-Frame-Options')).toBe('DENY')
    expect(page.headers.get('Cache-Control')).toBe('no-store')
  })

  it('names a registered client by its declared client_uri, else by its redirect URI host', async () => {
    const declared = await thirdPartyClient({
      registration: 'dynamic',
      clientUri: 'https://agent.example/about',
    })
    const { browser, credentials } = await signedInUser()
    const page = await browser.authorize((await authorizationQuery(declared)).query, credentials)
    expect(await page.text()).toContain('It says it is from agent.example (not verified).')
    const bare = await thirdPartyClient({ registration: 'dynamic' })
    const again = await browser.authorize((await authorizationQuery(bare)).query)
    expect(await again.text()).toContain(`It sends you back to ${bare.host}.`)
  })

  it('also names the redirect URI host when it is not the host it names the client by', async () => {
    // A metadata document may list redirect URIs on any host: the page must not let
    // "published by good.example" stand for a code that goes to another host.
    const elsewhere = `elsewhere-${crypto.randomUUID().slice(0, 8)}.example`
    const tp = await thirdPartyClient({}, 'Research Agent', elsewhere)
    const { browser, credentials } = await signedInUser()
    const page = await browser.authorize((await authorizationQuery(tp)).query, credentials)
    const html = await page.text()
    expect(html).toContain(`Its client ID is published by ${tp.host}.`)
    expect(html).toContain(`It sends you back to ${elsewhere}.`)
    const declared = await thirdPartyClient(
      { registration: 'dynamic', clientUri: 'https://agent.example/about' },
      'Research Agent',
      elsewhere,
    )
    const again = await browser.authorize((await authorizationQuery(declared)).query)
    expect(await again.text()).toContain(`It sends you back to ${elsewhere}.`)
    // On the same host, the page says it once.
    const same = await thirdPartyClient()
    const third = await browser.authorize((await authorizationQuery(same)).query)
    expect(await third.text()).not.toContain('It sends you back to')
  })

  it('never shows the consent page to an administrator client: the administrator consented', async () => {
    const { browser, credentials, userId } = await signedInUser()
    const { query } = await spaRequest({ scope: 'openid profile' })
    const response = await browser.authorize(query, credentials)
    expect(response.status).toBe(303)
    expect(responseParams(response).get('code')).toEqual(expect.any(String))
    expect(await consentRow(userId, SPA_CLIENT_ID)).toBeNull()
  })

  it('H02 remembers Allow: the next authorization, even with prompt=none, needs no page', async () => {
    const tp = await thirdPartyClient()
    const { browser, credentials, userId } = await signedInUser()
    const first = await authorizationQuery(tp)
    const allowed = await answer(
      browser,
      await browser.authorize(first.query, credentials),
      'allow',
    )
    expect(allowed.status).toBe(303)
    const params = responseParams(allowed)
    expect(params.get('code')).toEqual(expect.any(String))
    expect(params.get('state')).toBe(first.query.state)
    expect(params.get('iss')).toBe(ISSUER)
    expect(JSON.parse((await consentRow(userId, tp.client.id))?.scopes ?? '[]')).toEqual([
      'openid',
      'profile',
    ])
    const audit = await env.DB.prepare(
      `SELECT 1 FROM audit_events WHERE action = 'consent.granted' AND actor_id = ?1 AND target_id = ?2`,
    )
      .bind(userId, tp.client.id)
      .first()
    expect(audit).not.toBeNull()

    const second = await browser.authorize((await authorizationQuery(tp)).query)
    expect(second.status).toBe(303)
    expect(responseParams(second).get('code')).toEqual(expect.any(String))
    const silent = await browser.authorize(
      (await authorizationQuery(tp, { prompt: 'none', scope: 'openid' })).query,
    )
    expect(responseParams(silent).get('code')).toEqual(expect.any(String))
  })

  it('asks again for a wider scope or another resource, and then remembers the union', async () => {
    const tp = await thirdPartyClient()
    const identifier = `https://notes-${crypto.randomUUID().slice(0, 8)}.example/`
    await insertResource(testDb(), {
      id: crypto.randomUUID(),
      tenantId: TENANT_ID,
      identifier,
      name: 'Notes',
      scopes: ['notes:write'],
      accessTokenLifetime: 600,
      requireDpop: false,
      createdAt: now(),
      updatedAt: now(),
    })
    const { browser, credentials, userId } = await signedInUser()
    const first = (await authorizationQuery(tp, { scope: 'openid' })).query
    await answer(browser, await browser.authorize(first, credentials), 'allow')

    const wider = await browser.authorize((await authorizationQuery(tp)).query)
    expect(wider.status).toBe(200)
    expect(await wider.clone().text()).toContain('See your name')
    await answer(browser, wider, 'allow')

    const withResource = (await authorizationQuery(tp, { scope: 'openid', resource: identifier }))
      .query
    const page = await browser.authorize(withResource)
    expect(page.status).toBe(200)
    expect(responseParams(await answer(browser, page, 'allow')).get('code')).toEqual(
      expect.any(String),
    )
    const row = await consentRow(userId, tp.client.id)
    expect(JSON.parse(row?.scopes ?? '[]').sort()).toEqual(['openid', 'profile'])
    expect(JSON.parse(row?.resources ?? '[]')).toEqual([identifier])
    expect((await browser.authorize(withResource)).status).toBe(303)
  })

  it('A03 Deny answers access_denied at the redirect URI with state and iss (RFC 6749 §4.1.2.1)', async () => {
    const tp = await thirdPartyClient()
    const { browser, credentials, userId } = await signedInUser()
    const { query } = await authorizationQuery(tp)
    const denied = await answer(browser, await browser.authorize(query, credentials), 'deny')
    expect(denied.status).toBe(303)
    expect(denied.headers.get('Location')?.startsWith(tp.redirectUri)).toBe(true)
    const params = responseParams(denied)
    expect(params.get('error')).toBe('access_denied')
    expect(params.get('state')).toBe(query.state)
    expect(params.get('iss')).toBe(ISSUER)
    expect(params.get('code')).toBeNull()
    expect(await consentRow(userId, tp.client.id)).toBeNull()
  })

  it('H03 prompt=none without a covering consent answers consent_required (OIDC Core §3.1.2.6)', async () => {
    const tp = await thirdPartyClient()
    const { browser, credentials } = await signedInUser()
    // Sign in through another request first, so the session exists.
    await answer(
      browser,
      await browser.authorize(
        (await authorizationQuery(tp, { scope: 'openid' })).query,
        credentials,
      ),
      'allow',
    )
    const { query } = await authorizationQuery(tp, { prompt: 'none', scope: 'openid email' })
    const response = await browser.authorize(query)
    expect(response.status).toBe(303)
    const params = responseParams(response)
    expect(params.get('error')).toBe('consent_required')
    expect(params.get('state')).toBe(query.state)
    expect(params.get('iss')).toBe(ISSUER)
  })

  it('prompt=consent asks even when the remembered consent covers the request', async () => {
    const tp = await thirdPartyClient()
    const { browser, credentials } = await signedInUser()
    const { query } = await authorizationQuery(tp)
    await answer(browser, await browser.authorize(query, credentials), 'allow')
    const again = await browser.authorize(
      (await authorizationQuery(tp, { prompt: 'consent' })).query,
    )
    expect(again.status).toBe(200)
    const allowed = await answer(browser, again, 'allow')
    expect(responseParams(allowed).get('code')).toEqual(expect.any(String))
  })

  it('refuses a consent answer without the CSRF token, from another site, or tampered with', async () => {
    const tp = await thirdPartyClient()
    const { browser, credentials, userId } = await signedInUser()
    const { query } = await authorizationQuery(tp)
    const fields = hiddenFields(await (await browser.authorize(query, credentials)).text())
    const noCsrf = await browser.postForm('/authorize/consent', {
      interaction: fields.interaction ?? '',
      decision: 'allow',
    })
    expect(noCsrf.status).toBe(403)
    const crossSite = await browser.fetch('/authorize/consent', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://evil.example',
      },
      body: new URLSearchParams({ ...fields, decision: 'allow' }).toString(),
    })
    expect(crossSite.status).toBe(403)
    const tampered = await browser.postForm('/authorize/consent', {
      ...fields,
      interaction: `${fields.interaction}x`,
      decision: 'allow',
    })
    expect(tampered.status).toBe(400)
    expect(await tampered.text()).toContain('Consent expired')
    expect(await consentRow(userId, tp.client.id)).toBeNull()
  })

  it("refuses a consent answer from another user's session or from no session", async () => {
    const tp = await thirdPartyClient()
    const victim = await signedInUser()
    const { query } = await authorizationQuery(tp)
    const html = await (await victim.browser.authorize(query, victim.credentials)).text()
    const fields = hiddenFields(html)

    const other = await signedInUser()
    await other.browser.authorize((await authorizationQuery(tp)).query, other.credentials)
    // The attacker's browser has its own session; give it the victim page's CSRF cookie too.
    other.browser.cookies.set('__Host-csrf', victim.browser.cookies.get('__Host-csrf') ?? '')
    const forged = await other.browser.postForm('/authorize/consent', {
      ...fields,
      decision: 'allow',
    })
    expect(forged.status).toBe(403)
    expect(forged.headers.get('Location')).toBeNull()

    const anonymous = new Browser()
    anonymous.cookies.set('__Host-csrf', victim.browser.cookies.get('__Host-csrf') ?? '')
    const noSession = await anonymous.postForm('/authorize/consent', {
      ...fields,
      decision: 'allow',
    })
    expect(noSession.status).toBe(403)
    expect(await consentRow(victim.userId, tp.client.id)).toBeNull()
    expect(await consentRow(other.userId, tp.client.id)).toBeNull()
  })
})

describe('refresh tokens of third-party clients (issue 17)', () => {
  it('F02 gives a refresh token for offline_access the user consented to, and none without it', async () => {
    const tp = await thirdPartyClient()
    const { tokens } = await consentedTokens(tp)
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const without = await consentedTokens(tp, 'openid')
    expect(without.tokens).not.toHaveProperty('refresh_token')
  })

  it('F02 gives no refresh token to a third-party client that did not register the refresh_token grant (RFC 7591 §2)', async () => {
    const tp = await thirdPartyClient({}, 'Code Only', undefined, false)
    const { tokens } = await consentedTokens(tp)
    expect(tokens.access_token).toEqual(expect.any(String))
    expect(tokens).not.toHaveProperty('refresh_token')
  })

  it('F01 never gives the seed authorization-code client a refresh token, even for offline_access', async () => {
    const { browser, credentials } = await signedInUser()
    const { query, verifier } = await spaRequest({ scope: 'openid offline_access' })
    const response = await browser.authorize(query, credentials)
    const code = responseParams(response).get('code') ?? ''
    const tokens = (await (await exchangeCode(code, verifier)).json()) as Tokens
    expect(tokens.access_token).toEqual(expect.any(String))
    expect(tokens).not.toHaveProperty('refresh_token')
    expect(tokens.scope).not.toContain('offline_access')
    const refused = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: 'x'.repeat(43),
      client_id: SPA_CLIENT_ID,
    })
    expect(await errorOf(refused)).toBe('unauthorized_client')
    expect(SPA_REDIRECT).toBeTruthy()
  })

  it('F05 rotates a public client refresh token; the old one presented again, even at once, revokes the grant', async () => {
    const tp = await thirdPartyClient()
    const { tokens } = await consentedTokens(tp)
    const rotated = await refreshOf(tp, tokens.refresh_token ?? '')
    expect(rotated.status).toBe(200)
    const next = (await rotated.json()) as Tokens
    expect(next.refresh_token).toEqual(expect.any(String))
    expect(next.refresh_token).not.toBe(tokens.refresh_token)
    // No reuse grace for a public client: at once, the reuse revokes everything.
    expect(await errorOf(await refreshOf(tp, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    expect(await errorOf(await refreshOf(tp, next.refresh_token ?? ''))).toBe('invalid_grant')
    const userinfo = await fetchWorker('/userinfo', {
      headers: { Authorization: `Bearer ${next.access_token}` },
    })
    expect(userinfo.status).toBe(401)
  })

  it('F03 refuses a third-party refresh token presented by another client', async () => {
    const tp = await thirdPartyClient()
    const other = await thirdPartyClient()
    const { tokens } = await consentedTokens(tp)
    expect(await errorOf(await refreshOf(other, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    expect((await refreshOf(tp, tokens.refresh_token ?? '')).status).toBe(200)
  })

  it('binds the refresh tokens of a DPoP client to its key (RFC 9449 §5)', async () => {
    const tp = await thirdPartyClient()
    const key = await dpopKey()
    const { tokens } = await consentedTokens(tp, 'openid offline_access', key)
    expect(tokens.token_type).toBe('DPoP')
    const unproved = await refreshOf(tp, tokens.refresh_token ?? '')
    expect(await errorOf(unproved)).toBe('invalid_dpop_proof')
    const otherKey = await refreshOf(tp, tokens.refresh_token ?? '', {
      DPoP: await dpopProof(await dpopKey()),
    })
    expect(await errorOf(otherKey)).toBe('invalid_dpop_proof')
    const proved = await refreshOf(tp, tokens.refresh_token ?? '', { DPoP: await dpopProof(key) })
    expect(proved.status).toBe(200)
    expect(((await proved.json()) as Tokens).token_type).toBe('DPoP')
  })
})

describe('"Apps with access" on the account page (issue 17)', () => {
  it('lists the consent; Withdraw removes it and ends its refresh and access tokens at once', async () => {
    const tp = await thirdPartyClient({}, 'Calendar Agent')
    const { tokens, browser, userId } = await consentedTokens(tp)
    const page = await browser.fetch('/account')
    const html = await page.text()
    expect(html).toContain('Apps with access')
    expect(html).toContain('Calendar Agent')
    expect(html).toContain(tp.host)
    expect(html).toContain('Stay signed in: access your data when you are not present')
    expect(html).toContain(`aria-label="Withdraw access of Calendar Agent"`)

    const fields = hiddenFields(html.slice(html.indexOf('/account/consents/withdraw')))
    expect(fields.client).toBe(tp.client.id)
    const withdrawn = await browser.postForm('/account/consents/withdraw', {
      csrf: fields.csrf ?? '',
      client: tp.client.id,
    })
    expect(withdrawn.status).toBe(303)
    expect(withdrawn.headers.get('Location')).toBe('/account?status=withdrawn')
    expect(await consentRow(userId, tp.client.id)).toBeNull()
    expect(await errorOf(await refreshOf(tp, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    const userinfo = await fetchWorker('/userinfo', {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    })
    expect(userinfo.status).toBe(401)
    const audit = await env.DB.prepare(
      `SELECT 1 FROM audit_events WHERE action = 'consent.withdrawn' AND actor_id = ?1 AND target_id = ?2`,
    )
      .bind(userId, tp.client.id)
      .first()
    expect(audit).not.toBeNull()
    expect(await (await browser.fetch('/account')).text()).toContain(
      'No app has access to your account.',
    )
    // The next authorization asks again.
    expect((await browser.authorize((await authorizationQuery(tp)).query)).status).toBe(200)
  })

  it('refuses a withdrawal without the CSRF token, and one without a session', async () => {
    const tp = await thirdPartyClient()
    const { tokens, browser, userId } = await consentedTokens(tp)
    const noCsrf = await browser.postForm('/account/consents/withdraw', { client: tp.client.id })
    expect(noCsrf.status).toBe(403)
    const anonymous = new Browser()
    anonymous.cookies.set('__Host-csrf', browser.cookies.get('__Host-csrf') ?? '')
    const noSession = await anonymous.postForm('/account/consents/withdraw', {
      csrf: browser.cookies.get('__Host-csrf') ?? '',
      client: tp.client.id,
    })
    expect(noSession.status).toBe(401)
    expect(await consentRow(userId, tp.client.id)).not.toBeNull()
    expect((await refreshOf(tp, tokens.refresh_token ?? '')).status).toBe(200)
  })
})
