import { auth } from '@modelcontextprotocol/sdk/client/auth.js'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { OAuthClientMetadata } from '@modelcontextprotocol/sdk/shared/auth.js'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser } from './helpers/browser'
import {
  type LocalServer,
  MemoryOAuthProvider,
  serveCallback,
  serveMetadataDocument,
} from './helpers/mcp-oauth'
import { MCP_SERVER, SERVER } from './helpers/stack'

// The official MCP TypeScript SDK's OAuth client against `npm start`: the example MCP server
// (:8788) answers 401 with `resource_metadata`, the SDK discovers the identity server from it,
// identifies itself with a client ID metadata document (served here over https on localhost, with
// the throwaway certificate the global setup made and workerd trusts) or registers itself (RFC
// 7591), sends the user through sign-in and consent in headless Chromium, calls a tool, and
// refreshes. Demo values from .dev.vars.example, which `npm start` copied to .dev.vars.
const TENANT = '6f2c4e1a-3b5d-4c7e-9f10-2a3b4c5d6e7f'
const ADMIN_ID = '0b9d8f2e-7a6c-4e5d-8b1a-9c0d1e2f3a4b'
const ADMIN_SECRET = 'demo-admin-client-secret-change-me-0123456789'
const ADMIN_EMAIL = 'admin@demo.example'
const ADMIN_PASSWORD = 'demo-admin-password'
const API = `${SERVER}/api/v1/tenants/${TENANT}`
const RESOURCE = `${MCP_SERVER}/mcp`
const RESOURCE_METADATA = `${MCP_SERVER}/.well-known/oauth-protected-resource/mcp`
const SCOPE = 'mcp:tools offline_access'
const DOCUMENT_PORT = 8790
const CALLBACK_PORT = 8791
const DOCUMENT_PATH = '/mcp-client.json'
const DOCUMENT_URL = `https://localhost:${DOCUMENT_PORT}${DOCUMENT_PATH}`
const REDIRECT_URI = `http://localhost:${CALLBACK_PORT}/callback`

const clientMetadata = (name: string): OAuthClientMetadata => ({
  client_name: name,
  redirect_uris: [REDIRECT_URI],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
})

const servers: LocalServer[] = []
let callback: Awaited<ReturnType<typeof serveCallback>>
let adminToken: string
let adminSub: string

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${API}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${adminToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

beforeAll(async () => {
  const issued = await fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${btoa(`${ADMIN_ID}:${ADMIN_SECRET}`)}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
  expect(issued.status).toBe(200)
  adminToken = ((await issued.json()) as { access_token: string }).access_token
  const users = (await (await api('GET', '/users')).json()) as {
    items: { id: string; email: string }[]
  }
  const admin = users.items.find((user) => user.email === ADMIN_EMAIL)
  if (admin === undefined) throw new Error('the demo administrator is not in the users list')
  adminSub = admin.id
  callback = await serveCallback(CALLBACK_PORT)
  servers.push(callback)
})

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()))
})

/**
 * Opens the authorization URL the SDK produced in a fresh headless Chromium, signs the demo
 * administrator in, checks what the consent page says and clicks Allow; answers the callback's
 * query once the browser has been sent back.
 */
async function signInAndConsent(
  provider: MemoryOAuthProvider,
  expected: { name: string; host: string },
): Promise<URLSearchParams> {
  const authorizationUrl = provider.authorizationUrl
  if (authorizationUrl === undefined) throw new Error('the SDK did not redirect')
  const browser = await launchBrowser()
  try {
    const page = await browser.context.newPage()
    const returned = callback.next()
    await page.goto(authorizationUrl.href)
    await page.getByLabel('Email').fill(ADMIN_EMAIL)
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    // The consent page (its form), or whatever the server showed instead, said in the failure.
    await page
      .locator('#consent-form')
      .waitFor({ timeout: 15_000 })
      .catch(async () => {
        throw new Error(
          `no consent page at ${page.url()}: ${await page.locator('body').textContent()}`,
        )
      })
    expect(await page.title()).toContain('Allow access?')
    await expect
      .poll(() => page.locator('p.client').textContent())
      .toBe(`${expected.name} wants to access your account.`)
    expect(await page.locator('#consent-host').textContent()).toContain(expected.host)
    expect(
      await page
        .locator('li[data-scope]')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-scope'))),
    ).toEqual(expect.arrayContaining(['mcp:tools', 'offline_access']))
    expect(await page.locator('ul.resources').textContent()).toContain(RESOURCE)
    await page.getByRole('button', { name: 'Allow', exact: true }).click()
    return await returned
  } finally {
    await browser.close()
  }
}

/**
 * The MCP SDK's whole flow for one provider: the authorization request (asking for offline
 * access), sign-in and consent, the code exchange, a tool call through the transport, then a
 * refresh the transport does by itself when the server refuses a broken access token.
 */
async function authorizeCallAndRefresh(
  provider: MemoryOAuthProvider,
  consent: { name: string; host: string },
  fetchFn?: typeof fetch,
): Promise<{ clientId: string }> {
  expect(await auth(provider, { serverUrl: RESOURCE, scope: SCOPE, fetchFn })).toBe('REDIRECT')
  const authorizationUrl = provider.authorizationUrl as URL
  expect(authorizationUrl.origin + authorizationUrl.pathname).toBe(`${SERVER}/authorize`)
  expect(authorizationUrl.searchParams.get('resource')).toBe(RESOURCE)
  expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256')
  expect(authorizationUrl.searchParams.get('scope')).toBe(SCOPE)
  expect(authorizationUrl.searchParams.get('prompt')).toBe('consent')
  const clientId = authorizationUrl.searchParams.get('client_id') as string

  const query = await signInAndConsent(provider, consent)
  expect(query.get('error')).toBeNull()
  expect(query.get('state')).toBe(provider.expectedState)
  const code = query.get('code') as string
  expect(
    await auth(provider, { serverUrl: RESOURCE, authorizationCode: code, scope: SCOPE, fetchFn }),
  ).toBe('AUTHORIZED')
  const first = provider.stored
  expect(first?.refresh_token).toEqual(expect.any(String))
  // The access token's scope is the resource's (RFC 6749 §5.1); offline_access shows as the
  // refresh token itself.
  expect(first?.scope).toBe('mcp:tools')

  const client = new Client({ name: 'e2e-sdk-oauth', version: '0.0.0' })
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(RESOURCE), {
        authProvider: provider,
        fetch: fetchFn,
      }),
    )
    const whoami = await client.callTool({ name: 'whoami', arguments: {} })
    expect(JSON.parse((whoami.content as { text: string }[])[0]?.text ?? '{}')).toMatchObject({
      sub: adminSub,
      client_id: clientId,
      scopes: ['mcp:tools'],
    })

    // The stored access token breaks (as an expired one would): the server answers 401 and the
    // transport refreshes through the SDK by itself, with no browser, then retries the call.
    provider.stored = { ...(first as NonNullable<typeof first>), access_token: 'garbage' }
    const added = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })
    expect(added.content).toEqual([{ type: 'text', text: '5' }])
    expect(provider.stored.access_token).not.toBe('garbage')
    expect(provider.stored.refresh_token).toEqual(expect.any(String))
    expect(provider.stored.refresh_token).not.toBe(first?.refresh_token)
  } finally {
    await client.close()
  }
  return { clientId }
}

describe('MCP SDK OAuth client (against npm start)', () => {
  it('connects with a client ID metadata document: discovery from the 401, PKCE, resource, consent, a tool call, a refresh', async () => {
    const refused = await fetch(RESOURCE, { method: 'POST' })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('WWW-Authenticate')).toContain(
      `resource_metadata="${RESOURCE_METADATA}"`,
    )

    const document = serveMetadataDocument({
      port: DOCUMENT_PORT,
      path: DOCUMENT_PATH,
      document: { client_id: DOCUMENT_URL, ...clientMetadata('SDK document client') },
      cert: inject('localhostCert'),
      key: inject('localhostKey'),
    })
    const served = await document
    servers.push(served)
    const provider = new MemoryOAuthProvider(
      REDIRECT_URI,
      clientMetadata('SDK document client'),
      DOCUMENT_URL,
    )
    const { clientId } = await authorizeCallAndRefresh(provider, {
      name: 'SDK document client',
      host: `localhost:${DOCUMENT_PORT}`,
    })
    expect(clientId).toBe(DOCUMENT_URL)
    expect(served.requests()).toBeGreaterThanOrEqual(1)
  })

  it('connects with dynamic client registration under an initial access token (RFC 7591 §3)', async () => {
    const before = await api('GET', '/third-party-policy')
    expect(before.status).toBe(200)
    const policy = await before.json()
    try {
      const enabled = await api('PUT', '/third-party-policy', {
        metadataDocuments: { policy: 'all', hosts: [] },
        dynamicRegistration: true,
      })
      expect(enabled.status).toBe(200)
      const created = await api('POST', '/initial-access-tokens', {
        description: 'MCP SDK e2e',
        maxUses: 1,
      })
      expect(created.status).toBe(201)
      const { value: initialAccessToken } = (await created.json()) as { value: string }

      // The initial access token goes only with the registration request.
      let registrations = 0
      const fetchFn: typeof fetch = (input, init) => {
        const url = input instanceof Request ? input.url : String(input)
        if (url === `${SERVER}/register` && (init?.method ?? 'GET') === 'POST') {
          registrations++
          const headers = new Headers(init?.headers)
          headers.set('Authorization', `Bearer ${initialAccessToken}`)
          return fetch(input, { ...init, headers })
        }
        return fetch(input, init)
      }
      const provider = new MemoryOAuthProvider(
        REDIRECT_URI,
        clientMetadata('SDK registered client'),
      )
      const { clientId } = await authorizeCallAndRefresh(
        provider,
        { name: 'SDK registered client', host: `localhost:${CALLBACK_PORT}` },
        fetchFn,
      )
      expect(registrations).toBe(1)
      expect(clientId).toBe(provider.client?.client_id)
      expect(clientId).not.toMatch(/^https?:/)
    } finally {
      const restored = await api('PUT', '/third-party-policy', policy)
      expect(restored.status).toBe(200)
    }
  })
})
