import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { processResourceDiscoveryResponse } from 'oauth4webapi'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ResourceResource } from '../../worker/src/routes/api/resource-types'
import { issueAccessToken } from '../../worker/src/steps/issue-access-token'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  exchangeCode,
  responseParams,
  SPA_CLIENT_ID,
  SPA_REDIRECT,
  spaRequest,
} from './helpers/browser'
import { testDeps } from './helpers/deps'
import { dpopKey, dpopProof } from './helpers/dpop'
import {
  backChannel,
  createHybridClient,
  HYBRID_REDIRECT,
  hybridAuthorize,
  refresh,
  type TokenSet,
} from './helpers/hybrid'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  adminToken,
  api,
  basic,
  d1RoundTrips,
  readProblem,
  seedDemoTenant,
  TENANT_ID,
  tokenRequest,
} from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

const CREDENTIALS = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }
const API_METADATA_PATH = '/.well-known/oauth-protected-resource/api/v1'

let browser: Browser
beforeAll(async () => {
  await seedDemoTenant()
  browser = new Browser()
  const { query } = await spaRequest()
  await browser.authorize(query, CREDENTIALS)
})

/** Registers an API resource of the demo tenant (asserts success). */
async function createResource(settings: Record<string, unknown> = {}): Promise<ResourceResource> {
  const response = await api(await adminToken(), 'POST', '/resources', {
    identifier: `https://mcp.example.com/${crypto.randomUUID()}`,
    name: 'MCP server',
    scopes: ['mcp:tools', 'mcp:prompts'],
    ...settings,
  })
  if (response.status !== 201) throw new Error(`resource not created: ${await response.text()}`)
  return (await response.json()) as ResourceResource
}

/** A client-credentials token request of the demo admin client, `resource` repeated as given. */
function clientCredentials(resources: string[], extra: Record<string, string> = {}, headers = {}) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...extra })
  for (const resource of resources) form.append('resource', resource)
  return fetchWorker('/token', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
      ...headers,
    },
    body: form.toString(),
  })
}

/** An authorization request of the signed-in browser, with `resource` repeated as given. */
async function authorizeWith(query: Record<string, string>, resources: string[]) {
  const params = new URLSearchParams(query)
  for (const resource of resources) params.append('resource', resource)
  return browser.fetch(`/authorize?${params}`)
}

async function oauthError(response: Response) {
  expect(response.status).toBe(400)
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
  return ((await response.json()) as { error: string }).error
}

describe('management API: resources (RFC 8707)', () => {
  it('creates, reads, lists, replaces and deletes a resource, each change audited', async () => {
    const admin = await adminToken()
    const created = await api(admin, 'POST', '/resources', {
      identifier: 'https://api.example.com/orders',
      name: 'Orders API',
      scopes: ['orders:read'],
    })
    expect(created.status).toBe(201)
    const resource = (await created.json()) as ResourceResource
    expect(resource).toMatchObject({
      identifier: 'https://api.example.com/orders',
      name: 'Orders API',
      scopes: ['orders:read'],
      accessTokenLifetime: 3600,
      requireDpop: false,
    })
    expect(created.headers.get('Location')).toBe(
      `/api/v1/tenants/${TENANT_ID}/resources/${resource.id}`,
    )
    const read = await api(admin, 'GET', `/resources/${resource.id}`)
    expect(await read.json()).toEqual(resource)
    const listed = (await (await api(admin, 'GET', '/resources')).json()) as {
      items: ResourceResource[]
      total: number
    }
    expect(listed.items.map((item) => item.id)).toContain(resource.id)
    expect(listed.total).toBeGreaterThanOrEqual(1)

    const replaced = await api(admin, 'PUT', `/resources/${resource.id}`, {
      ...resource,
      scopes: ['orders:read', 'orders:write'],
      accessTokenLifetime: 300,
      requireDpop: true,
    })
    expect(replaced.status).toBe(200)
    expect(await replaced.json()).toMatchObject({
      id: resource.id,
      scopes: ['orders:read', 'orders:write'],
      accessTokenLifetime: 300,
      requireDpop: true,
    })
    expect((await api(admin, 'DELETE', `/resources/${resource.id}`)).status).toBe(204)
    expect((await api(admin, 'GET', `/resources/${resource.id}`)).status).toBe(404)

    const audit = await env.DB.prepare(
      'SELECT action FROM audit_events WHERE target_id = ?1 ORDER BY id',
    )
      .bind(resource.id)
      .all<{ action: string }>()
    expect(audit.results.map((row) => row.action)).toEqual([
      'resource.created',
      'resource.replaced',
      'resource.deleted',
    ])
  })

  it('refuses an identifier that is relative, has a fragment, is http off loopback, or is the management API', async () => {
    const admin = await adminToken()
    for (const identifier of [
      '/relative',
      'https://api.example.com/x#frag',
      'http://api.example.com/x',
      `${ISSUER}/api`,
    ]) {
      const response = await api(admin, 'POST', '/resources', { identifier, name: 'Bad' })
      expect(response.status, identifier).toBe(400)
      const problem = await readProblem(response)
      expect(problem.errors?.[0]?.pointer, identifier).toBe('#/identifier')
    }
    // Loopback http is allowed outside production (local development). (Not :8788/mcp: the
    // demo seed registers the example MCP server under that identifier.)
    const local = await api(admin, 'POST', '/resources', {
      identifier: 'http://localhost:8799/mcp',
      name: 'Local MCP',
    })
    expect(local.status).toBe(201)
  })

  it('refuses a scope of this server, a malformed scope, a duplicate identifier (409) and a lifetime out of bounds', async () => {
    const admin = await adminToken()
    const identifier = `https://api.example.com/${crypto.randomUUID()}`
    for (const body of [
      { identifier, name: 'x', scopes: ['openid'] },
      { identifier, name: 'x', scopes: ['has space'] },
      { identifier, name: 'x', accessTokenLifetime: 59 },
    ]) {
      expect((await api(admin, 'POST', '/resources', body)).status).toBe(400)
    }
    expect((await api(admin, 'POST', '/resources', { identifier, name: 'x' })).status).toBe(201)
    expect((await api(admin, 'POST', '/resources', { identifier, name: 'y' })).status).toBe(409)
  })

  it('is described in the OpenAPI document generated from its schemas', async () => {
    const document = (await (await fetchWorker('/api/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>
      components: { schemas: Record<string, unknown> }
    }
    expect(Object.keys(document.paths)).toContain('/tenants/{tenantId}/resources/{resourceId}')
    expect(document.components.schemas).toHaveProperty('CreateResource')
  })
})

describe('resource at the token endpoint: client credentials (RFC 8707 §2)', () => {
  it('L03 gives a token whose aud is the resource, with its scopes and its lifetime', async () => {
    const resource = await createResource({ accessTokenLifetime: 120 })
    const response = await clientCredentials([resource.identifier])
    expect(response.status).toBe(200)
    const body = (await response.json()) as TokenSet & { token_type: string }
    expect(body.expires_in).toBe(120)
    expect(body.scope).toBe('mcp:tools mcp:prompts')
    const claims = decodeJwt(body.access_token)
    expect(claims.aud).toBe(resource.identifier)
    expect(claims.scope).toBe('mcp:tools mcp:prompts')
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120)
  })

  it('narrows the scope to what is asked, and refuses a scope the resource does not define', async () => {
    const resource = await createResource()
    const narrowed = await clientCredentials([resource.identifier], { scope: 'mcp:tools' })
    expect(((await narrowed.json()) as TokenSet).scope).toBe('mcp:tools')
    const refused = await clientCredentials([resource.identifier], { scope: 'mcp:tools api' })
    expect(await oauthError(refused)).toBe('invalid_scope')
  })

  it('answers invalid_target for an unknown, relative or fragment resource', async () => {
    for (const resource of [
      'https://unknown.example.com/mcp',
      '/mcp',
      'mcp.example.com',
      'https://mcp.example.com/mcp#x',
    ]) {
      const response = await clientCredentials([resource])
      expect(await oauthError(response), resource).toBe('invalid_target')
      expect(response.headers.get('Cache-Control')).toBe('no-store')
    }
  })

  it('matches a resource byte for byte: case, trailing slash or percent-encoding variants are unknown', async () => {
    const resource = await createResource()
    const url = new URL(resource.identifier)
    const path = url.pathname.slice(1)
    for (const variant of [
      resource.identifier.toUpperCase(),
      `https://MCP.example.com/${path}`,
      `${resource.identifier}/`,
      `https://mcp.example.com/%${path.charCodeAt(0).toString(16)}${path.slice(1)}`,
      `https://mcp.example.com:443/${path}`,
    ]) {
      expect(await oauthError(await clientCredentials([variant])), variant).toBe('invalid_target')
    }
    expect((await clientCredentials([resource.identifier])).status).toBe(200)
  })

  it('refuses more than ten resources, even repeated ones, with invalid_target', async () => {
    const resource = await createResource()
    const many = Array.from({ length: 11 }, () => resource.identifier)
    expect(await oauthError(await clientCredentials(many))).toBe('invalid_target')
    const long = `https://mcp.example.com/${'a'.repeat(3000)}`
    expect(await oauthError(await clientCredentials([long]))).toBe('invalid_target')
  })

  it('gives one token for several resources: every identifier in aud, the shortest lifetime', async () => {
    const a = await createResource({ accessTokenLifetime: 600, scopes: ['a:read'] })
    const b = await createResource({ accessTokenLifetime: 300, scopes: ['b:read'] })
    const response = await clientCredentials([a.identifier, b.identifier])
    const body = (await response.json()) as TokenSet
    expect(body.expires_in).toBe(300)
    expect(decodeJwt(body.access_token).aud).toEqual([a.identifier, b.identifier])
    expect(body.scope).toBe('a:read b:read')
  })

  it('keeps today’s token without resource, and takes the management API by either name', async () => {
    const plain = (await (await clientCredentials([])).json()) as TokenSet
    expect(decodeJwt(plain.access_token).aud).toBe(`${ISSUER}/api`)
    expect(plain.scope).toBe('api')
    for (const name of [`${ISSUER}/api`, `${ISSUER}/api/v1`]) {
      const body = (await (await clientCredentials([name])).json()) as TokenSet
      expect(decodeJwt(body.access_token).aud).toBe(`${ISSUER}/api`)
      expect(body.scope).toBe('api')
      expect((await api(body.access_token, 'GET', '/roles')).status).toBe(200)
    }
  })

  it('costs one D1 round trip more than a token without resource (the resource read)', async () => {
    const resource = await createResource()
    const plain = d1RoundTrips(await clientCredentials([]))
    expect(d1RoundTrips(await clientCredentials([resource.identifier]))).toBe(plain + 1)
    // The management API needs no read.
    expect(d1RoundTrips(await clientCredentials([`${ISSUER}/api`]))).toBe(plain)
  })

  it('gives a resource that requires DPoP only bound tokens (RFC 9449)', async () => {
    const resource = await createResource({ requireDpop: true })
    const unbound = await clientCredentials([resource.identifier])
    expect(await oauthError(unbound)).toBe('invalid_dpop_proof')
    const key = await dpopKey()
    const bound = await clientCredentials(
      [resource.identifier],
      {},
      {
        DPoP: await dpopProof(key),
      },
    )
    expect(bound.status).toBe(200)
    const body = (await bound.json()) as TokenSet & { token_type: string }
    expect(body.token_type).toBe('DPoP')
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: key.jkt })
  })

  it('L03 a token for a resource is refused by the management API and userinfo (audience)', async () => {
    const resource = await createResource()
    const body = (await (await clientCredentials([resource.identifier])).json()) as TokenSet
    const response = await api(body.access_token, 'GET', '/roles')
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
  })
})

describe('resource at /authorize and the code exchange (RFC 8707 §2.1, §2.2)', () => {
  it('redirects invalid_target with state and iss for an unknown or malformed resource', async () => {
    const resource = await createResource()
    for (const bad of [
      'https://unknown.example.com/mcp',
      'relative/path',
      `${resource.identifier}#f`,
    ]) {
      const { query } = await spaRequest({ scope: 'openid' })
      const response = await authorizeWith(query, [bad])
      expect(response.status, bad).toBe(303)
      const params = responseParams(response)
      expect(params.get('error'), bad).toBe('invalid_target')
      expect(params.get('state')).toBe(query.state)
      expect(params.get('iss')).toBe(ISSUER)
    }
  })

  it('A01 shows the error page, not a redirect, for a bad resource with an unregistered redirect_uri', async () => {
    const { query } = await spaRequest({ redirect_uri: 'https://evil.example.com/cb' })
    const response = await authorizeWith(query, ['https://unknown.example.com/mcp'])
    expect(response.status).toBe(400)
    expect(response.headers.get('Location')).toBeNull()
  })

  it('gives the code exchange a token for the resource: its scopes only, its lifetime, and an ID token', async () => {
    const resource = await createResource({ accessTokenLifetime: 900 })
    const { query, verifier } = await spaRequest({ scope: 'openid profile mcp:tools' })
    const params = responseParams(await authorizeWith(query, [resource.identifier]))
    const response = await exchangeCode(params.get('code') ?? '', verifier)
    expect(response.status).toBe(200)
    const body = (await response.json()) as TokenSet
    expect(body.scope).toBe('mcp:tools')
    expect(body.expires_in).toBe(900)
    expect(body.id_token).toEqual(expect.any(String))
    const claims = decodeJwt(body.access_token)
    expect(claims.aud).toBe(resource.identifier)
    expect(claims.scope).toBe('mcp:tools')
  })

  it('refuses at /authorize a scope that no named resource defines (invalid_scope)', async () => {
    const resource = await createResource()
    const { query } = await spaRequest({ scope: 'openid orders:read' })
    const params = responseParams(await authorizeWith(query, [resource.identifier]))
    expect(params.get('error')).toBe('invalid_scope')
  })

  it('narrows at the code exchange, and refuses a widening with invalid_target without consuming the code', async () => {
    const a = await createResource({ scopes: ['a:read'] })
    const b = await createResource({ scopes: ['b:read'] })
    const other = await createResource({ scopes: ['c:read'] })
    const { query, verifier } = await spaRequest({ scope: 'openid a:read b:read' })
    const code = responseParams(await authorizeWith(query, [a.identifier, b.identifier])).get(
      'code',
    )
    const widened = await exchangeCode(code ?? '', verifier, { resource: other.identifier })
    expect(await oauthError(widened)).toBe('invalid_target')
    const narrowed = await exchangeCode(code ?? '', verifier, { resource: b.identifier })
    expect(narrowed.status).toBe(200)
    const body = (await narrowed.json()) as TokenSet
    expect(decodeJwt(body.access_token).aud).toBe(b.identifier)
    expect(body.scope).toBe('b:read')
  })

  it('refuses a resource at the code exchange when the authorization request named none', async () => {
    const resource = await createResource()
    const { query, verifier } = await spaRequest({ scope: 'openid' })
    const code = responseParams(await authorizeWith(query, [])).get('code') ?? ''
    const refused = await exchangeCode(code, verifier, { resource: resource.identifier })
    expect(await oauthError(refused)).toBe('invalid_target')
    // Nothing was consumed: the code still gives today's token.
    const plain = await exchangeCode(code, verifier)
    expect(plain.status).toBe(200)
    expect(decodeJwt(((await plain.json()) as TokenSet).access_token).aud).toEqual([
      `${ISSUER}/userinfo`,
    ])
  })

  it('refuses the management API as a resource for a client that does not hold Account Administrator', async () => {
    const admin = await adminToken()
    const created = await api(admin, 'POST', '/authorization-code-clients', {
      name: 'Plain app',
      redirectUris: [SPA_REDIRECT],
    })
    const clientId = ((await created.json()) as { id: string }).id
    const { query } = await spaRequest({ client_id: clientId, scope: 'openid' })
    const params = responseParams(await authorizeWith(query, [`${ISSUER}/api`]))
    expect(params.get('error')).toBe('invalid_target')
    expect(SPA_CLIENT_ID).not.toBe(clientId)
  })

  it('redeems a code for a DPoP-required resource only with a proof, consuming nothing without one', async () => {
    const resource = await createResource({ requireDpop: true })
    const { query, verifier } = await spaRequest({ scope: 'openid mcp:tools' })
    const code = responseParams(await authorizeWith(query, [resource.identifier])).get('code') ?? ''
    expect(await oauthError(await exchangeCode(code, verifier))).toBe('invalid_dpop_proof')
    const key = await dpopKey()
    const bound = await exchangeCode(code, verifier, {}, { DPoP: await dpopProof(key) })
    expect(bound.status).toBe(200)
    const body = (await bound.json()) as TokenSet & { token_type: string }
    expect(body.token_type).toBe('DPoP')
    expect(decodeJwt(body.access_token).cnf).toEqual({ jkt: key.jkt })
  })
})

describe('resource at a refresh (RFC 8707 §2.2)', () => {
  async function grantFor(resources: string[], scope: string) {
    const client = await createHybridClient({ allowRefreshToken: true })
    const query: Record<string, string> = { scope }
    const signedIn = new Browser()
    await hybridAuthorize(client, {}, signedIn)
    const params = new URLSearchParams({
      client_id: client.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code',
      state: 's',
      nonce: 'n',
      ...query,
    })
    for (const resource of resources) params.append('resource', resource)
    const code = responseParams(await signedIn.fetch(`/authorize?${params}`)).get('code') ?? ''
    const response = await backChannel(client, '/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: HYBRID_REDIRECT,
    })
    expect(response.status).toBe(200)
    return { client, tokens: (await response.json()) as TokenSet }
  }

  it('F04 keeps the grant’s resources, narrows to one, and refuses a widening without rotating', async () => {
    const a = await createResource({ scopes: ['a:read'] })
    const b = await createResource({ scopes: ['b:read'] })
    const other = await createResource({ scopes: ['c:read'] })
    const { client, tokens } = await grantFor(
      [a.identifier, b.identifier],
      'openid offline_access a:read b:read',
    )
    expect(decodeJwt(tokens.access_token).aud).toEqual([a.identifier, b.identifier])

    const widened = await refresh(client, tokens.refresh_token ?? '', {
      resource: other.identifier,
    })
    expect(await oauthError(widened)).toBe('invalid_target')
    // Nothing was rotated: the same refresh token still works, narrowed to one resource.
    const narrowed = await refresh(client, tokens.refresh_token ?? '', { resource: a.identifier })
    expect(narrowed.status).toBe(200)
    const next = (await narrowed.json()) as TokenSet
    expect(decodeJwt(next.access_token).aud).toBe(a.identifier)
    expect(next.scope).toBe('a:read')

    // The grant keeps both: a later refresh without resource is for both again.
    const again = (await (await refresh(client, next.refresh_token ?? '')).json()) as TokenSet
    expect(decodeJwt(again.access_token).aud).toEqual([a.identifier, b.identifier])
  })

  it('refuses a resource at a refresh of a grant that named none', async () => {
    const resource = await createResource()
    const { client, tokens } = await grantFor([], 'openid offline_access')
    const refused = await refresh(client, tokens.refresh_token ?? '', {
      resource: resource.identifier,
    })
    expect(await oauthError(refused)).toBe('invalid_target')
    expect((await refresh(client, tokens.refresh_token ?? '')).status).toBe(200)
  })
  it('refuses a bearer refresh once the grant’s resource requires DPoP, without burning the refresh token', async () => {
    const resource = await createResource({ scopes: ['a:read'] })
    const { client, tokens } = await grantFor([resource.identifier], 'openid offline_access a:read')
    const admin = await adminToken()
    const requireDpop = (on: boolean) =>
      api(admin, 'PUT', `/resources/${resource.id}`, { ...resource, requireDpop: on })
    expect((await requireDpop(true)).status).toBe(200)
    const bearer = await refresh(client, tokens.refresh_token ?? '')
    expect(await oauthError(bearer)).toBe('invalid_dpop_proof')
    // The refusal changed nothing: once the resource takes bearer tokens again, the same
    // refresh token still works (RFC 6749 §6: an error response leaves the grant as it was).
    expect((await requireDpop(false)).status).toBe(200)
    const retried = await refresh(client, tokens.refresh_token ?? '')
    expect(retried.status).toBe(200)
  })
})

describe('protected-resource metadata and challenges (RFC 9728, RFC 6750 §3.1)', () => {
  it('serves the management API’s metadata, readable cross-origin and accepted by oauth4webapi', async () => {
    const response = await fetchWorker(API_METADATA_PATH, {
      headers: { Origin: 'https://app.example.com' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    const metadata = await processResourceDiscoveryResponse(new URL(`${ISSUER}/api/v1`), response)
    expect(metadata).toMatchObject({
      resource: `${ISSUER}/api/v1`,
      authorization_servers: [ISSUER],
      scopes_supported: ['api'],
      bearer_methods_supported: ['header'],
      dpop_bound_access_tokens_required: false,
      resource_name: expect.any(String),
    })
    expect(metadata.dpop_signing_alg_values_supported).toContain('ES256')
  })

  it('names the metadata in discovery (RFC 9728 §4) and in every 401 of the management API', async () => {
    const discovery = (await (await fetchWorker('/.well-known/openid-configuration')).json()) as {
      protected_resources: string[]
    }
    expect(discovery.protected_resources).toEqual([`${ISSUER}/api/v1`])
    const none = await fetchWorker(`/api/v1/tenants/${TENANT_ID}/roles`)
    expect(none.status).toBe(401)
    expect(none.headers.get('WWW-Authenticate')).toBe(
      `Bearer realm="api", resource_metadata="${ISSUER}${API_METADATA_PATH}"`,
    )
  })

  it('answers a token without the api scope with 403 insufficient_scope, the scope needed and the metadata', async () => {
    const deps = testDeps()
    const { token } = await issueAccessToken(deps, {
      subject: ADMIN_CLIENT_ID,
      clientId: ADMIN_CLIENT_ID,
      tenantId: TENANT_ID,
      roles: ['account-administrator'],
      scope: [],
      audience: `${ISSUER}/api`,
      lifetimeSeconds: 60,
    })
    const response = await api(token, 'GET', '/roles')
    expect(response.status).toBe(403)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      `Bearer realm="api", error="insufficient_scope", scope="api", resource_metadata="${ISSUER}${API_METADATA_PATH}"`,
    )
  })

  it('answers a DPoP-bound token without the api scope with a DPoP insufficient_scope challenge', async () => {
    const key = await dpopKey()
    const { token } = await issueAccessToken(testDeps(), {
      subject: ADMIN_CLIENT_ID,
      clientId: ADMIN_CLIENT_ID,
      tenantId: TENANT_ID,
      roles: ['account-administrator'],
      scope: [],
      audience: `${ISSUER}/api`,
      lifetimeSeconds: 60,
      jkt: key.jkt,
    })
    const path = `/api/v1/tenants/${TENANT_ID}/roles`
    const response = await fetchWorker(path, {
      headers: {
        Authorization: `DPoP ${token}`,
        DPoP: await dpopProof(key, { htm: 'GET', htu: `${ISSUER}${path}`, accessToken: token }),
      },
    })
    expect(response.status).toBe(403)
    expect(response.headers.get('WWW-Authenticate')).toMatch(
      /^DPoP realm="api", algs="[^"]+", error="insufficient_scope", scope="api"/,
    )
  })

  it('keeps today’s token request without resource unchanged', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
    )
    expect(decodeJwt(((await response.json()) as TokenSet).access_token).aud).toBe(`${ISSUER}/api`)
  })
})
