import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser, pkce, responseParams } from './helpers/browser'
import { documentFor, jsonResponse, PUBLIC_ADDRESS } from './helpers/metadata-documents'
import { passConsent } from './helpers/registration'
import { seedDemoTenant, TENANT_ID } from './helpers/tenant'
import { fetchWorker } from './helpers/worker'

// Client ID metadata documents end to end through the worker's entry point: the worker's own
// outbound fetch (documents and DNS-over-HTTPS) is answered by a stub of the global fetch.

const REDIRECT = 'https://agent.example/callback'
let counter = 0
const freshUrl = () => `https://mcp-agent${++counter}.example/client.json`

/** Documents served by URL; hosts resolved by the stubbed DNS-over-HTTPS resolver. */
let documents: Record<string, () => Response>
let dns: Record<string, string>
let fetched: string[]

beforeAll(async () => {
  await seedDemoTenant()
})

beforeEach(() => {
  documents = {}
  dns = {}
  fetched = []
  const realFetch = globalThis.fetch
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.origin === 'https://cloudflare-dns.com') {
      const name = url.searchParams.get('name') ?? ''
      const type = url.searchParams.get('type')
      const address = dns[name] ?? PUBLIC_ADDRESS
      const ipv6 = address.includes(':')
      const answer = (type === 'AAAA') === ipv6 ? [{ type: ipv6 ? 28 : 1, data: address }] : []
      return jsonResponse({ Status: 0, Answer: answer })
    }
    const route = documents[url.href]
    if (route !== undefined) {
      fetched.push(url.href)
      return route()
    }
    return realFetch(input, init)
  })
})

afterEach(() => {
  vi.restoreAllMocks()
})

async function setPolicy(policy: 'all' | 'allow-list' | 'none', hosts: string[] = []) {
  await env.DB.prepare(
    'UPDATE tenants SET metadata_document_policy = ?2, metadata_document_hosts = ?3 WHERE id = ?1',
  )
    .bind(TENANT_ID, policy, JSON.stringify(hosts))
    .run()
}

async function authorizeQuery(clientId: string) {
  const { verifier, challenge } = await pkce()
  const query = {
    client_id: clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid profile',
    state: crypto.randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }
  return { query, verifier }
}

function tokenRequest(params: Record<string, string>) {
  return fetchWorker('/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  })
}

describe('client ID metadata documents at /authorize and /token (issue 17)', () => {
  it('advertises client_id_metadata_document_supported in discovery', async () => {
    const response = await fetchWorker('/.well-known/oauth-authorization-server')
    const metadata = (await response.json()) as Record<string, unknown>
    expect(metadata.client_id_metadata_document_supported).toBe(true)
  })

  it('signs a user in for a URL client id and exchanges the code with PKCE and no secret', async () => {
    const url = freshUrl()
    documents[url] = () => jsonResponse(documentFor(url, { redirect_uris: [REDIRECT] }))
    const { query, verifier } = await authorizeQuery(url)
    const browser = new Browser()
    const response = await passConsent(
      browser,
      await browser.authorize(query, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    )
    expect(response.status).toBe(303)
    const params = responseParams(response)
    expect(params.get('state')).toBe(query.state)
    const code = params.get('code') ?? ''
    expect(code).not.toBe('')
    const token = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: url,
      code_verifier: verifier,
    })
    expect(token.status).toBe(200)
    const body = (await token.json()) as { access_token: string; id_token: string }
    expect(body.access_token).toBeTruthy()
    expect(JSON.parse(atob(body.id_token.split('.')[1] ?? ''))).toMatchObject({ aud: url })
    expect(fetched).toEqual([url])
  })

  it('shows the error page, never a redirect, for a document on a private address', async () => {
    const url = freshUrl()
    documents[url] = () => jsonResponse(documentFor(url, { redirect_uris: [REDIRECT] }))
    dns[new URL(url).hostname] = '10.1.2.3'
    const { query } = await authorizeQuery(url)
    const response = await new Browser().fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(400)
    expect(response.headers.get('Location')).toBeNull()
    expect(await response.text()).toContain('Unknown application')
    expect(fetched).toEqual([])
  })

  it('shows the error page for a document naming another client_id', async () => {
    const url = freshUrl()
    documents[url] = () =>
      jsonResponse(documentFor('https://other.example/client.json', { redirect_uris: [REDIRECT] }))
    const { query } = await authorizeQuery(url)
    const response = await new Browser().fetch(`/authorize?${new URLSearchParams(query)}`)
    expect(response.status).toBe(400)
    expect(response.headers.get('Location')).toBeNull()
  })

  it('refuses URL client ids when the tenant policy is none: error page, then invalid_client', async () => {
    const url = freshUrl()
    documents[url] = () => jsonResponse(documentFor(url, { redirect_uris: [REDIRECT] }))
    try {
      await setPolicy('none')
      const { query, verifier } = await authorizeQuery(url)
      const page = await new Browser().fetch(`/authorize?${new URLSearchParams(query)}`)
      expect(page.status).toBe(400)
      const token = await tokenRequest({
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: REDIRECT,
        client_id: url,
        code_verifier: verifier,
      })
      expect(token.status).toBe(401)
      expect(((await token.json()) as { error: string }).error).toBe('invalid_client')
      expect(fetched).toEqual([])
    } finally {
      await setPolicy('all')
    }
  })

  it('refuses a host off the allow-list, and lets in one on it', async () => {
    const url = freshUrl()
    documents[url] = () => jsonResponse(documentFor(url, { redirect_uris: [REDIRECT] }))
    try {
      await setPolicy('allow-list', ['trusted.example'])
      const { query } = await authorizeQuery(url)
      expect((await new Browser().fetch(`/authorize?${new URLSearchParams(query)}`)).status).toBe(
        400,
      )
      await setPolicy('allow-list', [new URL(url).hostname])
      const page = await new Browser().fetch(`/authorize?${new URLSearchParams(query)}`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('name="password"')
    } finally {
      await setPolicy('all')
    }
  })
})
