import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../worker/src/crypto/hash'
import { upsertClientSecret } from '../../worker/src/storage/client-secrets'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  adminToken,
  api,
  basic,
  clientToken,
  d1RoundTrips,
  seedDemoTenant,
  TENANT_ID,
  tokenRequest,
} from './helpers/tenant'
import { fetchWorker, ISSUER, testApp, testConfig, testDb } from './helpers/worker'

const REGISTERED_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]
let admin: string

interface Created {
  id: string
  secret: { id: string; value: string }
}

async function createClient(
  body: Record<string, unknown> = {},
  collection = 'client-credential-clients',
) {
  const response = await api(admin, 'POST', `/${collection}`, { name: 'Test service', ...body })
  expect(response.status, await response.clone().text()).toBe(201)
  return (await response.json()) as Created
}

const grant = (
  client: Created,
  form: Record<string, string> = {},
  headers: Record<string, string> = {},
) =>
  tokenRequest(
    { grant_type: 'client_credentials', ...form },
    { Authorization: basic(client.id, client.secret.value), ...headers },
  )

/** RFC 7662 introspection by a confidential client (a resource server). */
const tokenIntrospection = (caller: Created, token: string) =>
  fetchWorker('/introspect', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: basic(caller.id, caller.secret.value),
    },
    body: new URLSearchParams({ token }).toString(),
  })

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetchWorker('/.well-known/jwks.json')).json()) as JSONWebKeySet
}

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

describe('token endpoint: client_credentials (RFC 6749 §4.4)', () => {
  it('issues an RFC 9068 access token with client_secret_basic and with client_secret_post', async () => {
    const client = await createClient()
    const viaBasic = await grant(client)
    const viaPost = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret.value,
    })
    for (const response of [viaBasic, viaPost]) {
      expect(response.status).toBe(200)
      const body = (await response.json()) as Record<string, unknown>
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'api',
      })
    }
  })

  it('E02 D10 answers without a refresh token, with Cache-Control: no-store and JSON', async () => {
    const response = await grant(await createClient())
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(await response.json()).not.toHaveProperty('refresh_token')
  })

  it('L01 L02 L03 E05 signs typ at+jwt with a published kid, sub = client_id, aud = {issuer}/api', async () => {
    const client = await createClient({ accessTokenLifetime: 120 })
    const { access_token: token } = (await (await grant(client)).json()) as { access_token: string }
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await jwks()), {
      issuer: ISSUER,
      audience: `${ISSUER}/api`,
      typ: 'at+jwt',
    })
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' })
    expect(payload.sub).toBe(client.id)
    expect(payload.client_id).toBe(client.id)
    expect(payload.aud).toBe(`${ISSUER}/api`)
    expect(payload.aud).not.toBe(client.id)
    expect(payload.tid).toBe(TENANT_ID)
    expect(payload.roles).toEqual(['account-member'])
    expect(payload.scope).toBe('api')
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120)
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('L05 puts no personal data in the token: exactly the RFC 9068 claims and tid, roles', async () => {
    const token = decodeJwt(
      ((await (await grant(await createClient())).json()) as { access_token: string }).access_token,
    )
    expect(Object.keys(token).sort()).toEqual(
      ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'roles', 'scope', 'sub', 'tid'].sort(),
    )
  })

  it('signs with RS256 when ACCESS_TOKEN_SIGNING_ALG says so', async () => {
    const client = await createClient()
    const app = testApp(testConfig({ ACCESS_TOKEN_SIGNING_ALG: 'RS256' }))
    const response = await app.request('/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basic(client.id, client.secret.value),
      },
      body: 'grant_type=client_credentials',
    })
    const { access_token: token } = (await response.json()) as { access_token: string }
    expect(decodeProtectedHeader(token).alg).toBe('RS256')
    await expect(jwtVerify(token, createLocalJWKSet(await jwks()))).resolves.toBeTruthy()
  })

  it('makes one D1 round trip per token once the isolate has its keys', async () => {
    const client = await createClient()
    await grant(client)
    expect(d1RoundTrips(await grant(client))).toBe(1)
  })
})

describe('client authentication (RFC 6749 §2.3)', () => {
  it('D01 accepts client_secret_basic whose secret has ":", "%" and "+", form-urlencoded first', async () => {
    const client = await createClient()
    const secret = 'se:c%re+t with space'
    await upsertClientSecret(
      testDb(),
      client.id,
      { id: crypto.randomUUID(), hash: await sha256(secret), description: '', expiresAt: null },
      Math.floor(Date.now() / 1000),
    )
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: basic(client.id, secret) },
    )
    expect(response.status).toBe(200)
  })

  it('D02 answers a wrong Basic secret with 401 invalid_client and a Basic challenge', async () => {
    const client = await createClient()
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: basic(client.id, 'wrong') },
    )
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Basic realm=/)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client')
  })

  it('D02 answers a wrong secret in the body with 401 invalid_client', async () => {
    const client = await createClient()
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: 'wrong',
    })
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client')
  })

  it('answers an unknown client exactly like a wrong secret', async () => {
    const unknown = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: basic(crypto.randomUUID(), 'x') },
    )
    expect(unknown.status).toBe(401)
    expect(await unknown.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    })
  })

  it('D03 refuses Basic credentials and a client_secret in the body together', async () => {
    const client = await createClient()
    const response = await grant(client, { client_secret: client.secret.value })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('D04 refuses a body client_id that differs from the Basic username', async () => {
    const client = await createClient()
    const response = await grant(client, { client_id: ADMIN_CLIENT_ID })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('D05 refuses an expired secret', async () => {
    const client = await createClient()
    const secret = 'an-expired-secret-value'
    await upsertClientSecret(
      testDb(),
      client.id,
      {
        id: crypto.randomUUID(),
        hash: await sha256(secret),
        description: '',
        expiresAt: Math.floor(Date.now() / 1000) - 1,
      },
      0,
    )
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: basic(client.id, secret) },
    )
    expect(response.status).toBe(401)
  })

  it('D06 rotation: both secrets work until the old one is deleted, then the old one fails at once', async () => {
    const client = await createClient()
    const added = await api(admin, 'POST', `/client-credential-clients/${client.id}/secrets`, {
      description: 'new',
    })
    expect(added.status).toBe(201)
    const next = (await added.json()) as { id: string; value: string }
    const withSecret = (value: string) =>
      tokenRequest({ grant_type: 'client_credentials' }, { Authorization: basic(client.id, value) })
    expect((await withSecret(client.secret.value)).status).toBe(200)
    expect((await withSecret(next.value)).status).toBe(200)
    const deleted = await api(
      admin,
      'DELETE',
      `/client-credential-clients/${client.id}/secrets/${client.secret.id}`,
    )
    expect(deleted.status).toBe(204)
    expect((await withSecret(client.secret.value)).status).toBe(401)
    expect((await withSecret(next.value)).status).toBe(200)
  })

  it('D07 stores a 256-bit secret only as its hash and never shows its value again', async () => {
    const client = await createClient()
    expect(client.secret.value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const rows = await env.DB.prepare('SELECT * FROM client_secrets WHERE client_id = ?1')
      .bind(client.id)
      .all()
    expect(JSON.stringify(rows.results)).not.toContain(client.secret.value)
    expect(rows.results[0]?.secret_hash).toBe(await sha256(client.secret.value))
    const listed = await (
      await api(admin, 'GET', `/client-credential-clients/${client.id}/secrets`)
    ).text()
    const read = await (await api(admin, 'GET', `/client-credential-clients/${client.id}`)).text()
    expect(listed).not.toContain(client.secret.value)
    expect(read).not.toContain(client.secret.value)
    const audit = await env.DB.prepare('SELECT details FROM audit_events').all()
    expect(JSON.stringify(audit.results)).not.toContain(client.secret.value)
  })

  it('D08 locks an address out after 20 failures for a client (429, Retry-After, even for the right secret), counted in D1', async () => {
    const client = await createClient()
    const attacker = { 'CF-Connecting-IP': '198.51.100.66' }
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      const response = await tokenRequest(
        { grant_type: 'client_credentials' },
        { Authorization: basic(client.id, `wrong-${i}`), ...attacker },
      )
      statuses.push(response.status)
      if (response.status === 429)
        expect(Number(response.headers.get('Retry-After'))).toBeGreaterThan(0)
    }
    // The platform limiter (10 per minute per client) answers 429 to failures before the lockout.
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    // From that address, even the correct secret is refused until the window ends...
    const locked = await grant(client, {}, attacker)
    expect(locked.status).toBe(429)
    expect(((await locked.json()) as { error: string }).error).toBe('invalid_client')
    // ...but nobody can lock the client out from elsewhere: its own server still gets tokens.
    expect((await grant(client, {}, { 'CF-Connecting-IP': '192.0.2.10' })).status).toBe(200)
    const counter = await env.DB.prepare('SELECT failures FROM auth_failures WHERE key = ?1')
      .bind(`client:${client.id}@198.51.100.66`)
      .first<{ failures: number }>()
    expect(counter?.failures).toBeGreaterThanOrEqual(20)
  })

  it('D08 raises an alert (audit event, warning) after 20 failures for a client from anywhere', async () => {
    const client = await createClient()
    for (let i = 0; i < 20; i++) {
      await tokenRequest(
        { grant_type: 'client_credentials' },
        { Authorization: basic(client.id, 'wrong'), 'CF-Connecting-IP': `198.51.100.${100 + i}` },
      )
    }
    const audit = await env.DB.prepare(
      "SELECT * FROM audit_events WHERE action = 'client.auth_failures' AND target_id = ?1",
    )
      .bind(client.id)
      .all()
    expect(audit.results.length).toBe(1)
  })

  it('D08 rate limits failed authentications per IP with the platform limiter (429, Retry-After)', async () => {
    const ip = '203.0.113.7'
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      const response = await tokenRequest(
        { grant_type: 'client_credentials' },
        { Authorization: basic(crypto.randomUUID(), 'wrong'), 'CF-Connecting-IP': ip },
      )
      statuses.push(response.status)
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
  })

  it('D13 refuses a disabled client on the very next request, and its tokens stop working', async () => {
    const client = await createClient({ roleIds: ['account-administrator'] })
    const { access_token: token } = (await (await grant(client)).json()) as { access_token: string }
    expect((await api(token, 'GET', '/roles')).status).toBe(200)
    const replaced = await api(admin, 'PUT', `/client-credential-clients/${client.id}`, {
      name: 'Test service',
      enabled: false,
      roleIds: ['account-administrator'],
    })
    expect(replaced.status).toBe(200)
    expect((await grant(client)).status).toBe(401)
    expect((await api(token, 'GET', '/roles')).status).toBe(401)
  })

  it('D13 refuses a deleted client, and its tokens stop working', async () => {
    const client = await createClient({ roleIds: ['account-administrator'] })
    const { access_token: token } = (await (await grant(client)).json()) as { access_token: string }
    expect((await api(admin, 'DELETE', `/client-credential-clients/${client.id}`)).status).toBe(204)
    expect((await grant(client)).status).toBe(401)
    expect((await api(token, 'GET', '/roles')).status).toBe(401)
  })
})

describe('token request validation', () => {
  it('D09 answers GET with a JSON 405 invalid_request', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetchWorker('/token', { method })
      expect(response.status).toBe(405)
      expect(response.headers.get('Allow')).toBe('POST')
      expect(response.headers.get('Content-Type')).toBe('application/json')
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
    }
  })

  it('D09 answers a JSON body with 400 invalid_request', async () => {
    const response = await fetchWorker('/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
      },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('refuses a repeated parameter (RFC 6749 §3.2)', async () => {
    const response = await fetchWorker('/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
      },
      body: 'grant_type=client_credentials&scope=api&scope=api',
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request')
  })

  it('D12 answers an unknown grant_type with unsupported_grant_type', async () => {
    const response = await tokenRequest(
      { grant_type: 'password' },
      { Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET) },
    )
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('unsupported_grant_type')
  })

  it('D12 answers a grant the client may not use with unauthorized_client', async () => {
    const hybrid = await createClient(
      { redirectUris: ['https://app.example.com/cb'] },
      'hybrid-clients',
    )
    const response = await grant(hybrid)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('unauthorized_client')
  })

  it('E01 refuses client_credentials to a public client (no secret)', async () => {
    const spa = await api(admin, 'POST', '/authorization-code-clients', {
      name: 'SPA',
      redirectUris: ['http://localhost:5173/callback'],
    })
    const { id } = (await spa.json()) as { id: string }
    const response = await tokenRequest({ grant_type: 'client_credentials', client_id: id })
    expect([400, 401]).toContain(response.status)
    expect(['unauthorized_client', 'invalid_client']).toContain(
      ((await response.json()) as { error: string }).error,
    )
  })

  it('E03 answers a scope outside the client allow-list with invalid_scope', async () => {
    const response = await grant(await createClient(), { scope: 'api openid' })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_scope')
  })

  it.each(['api "x"', 'a\\b', 'api  api'])(
    'E04 answers a scope outside the scope-token grammar (%j) with invalid_scope',
    async (scope) => {
      const response = await grant(await createClient(), { scope })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: string }).error).toBe('invalid_scope')
    },
  )

  it('E05 a client id can never equal a user id: the shared id space refuses it', async () => {
    const client = await createClient()
    await expect(
      env.DB.prepare("INSERT INTO principals (id, kind) VALUES (?1, 'user')").bind(client.id).run(),
    ).rejects.toThrow(/UNIQUE|PRIMARY/)
  })

  it('D10 D11 answers any malformed request with a registered error, wire-safe text and no-store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'x'),
          fc.string({ maxLength: 20 }),
        ),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        async (form, authorization) => {
          const response = await tokenRequest(
            form,
            authorization === undefined ? {} : { Authorization: authorization },
          )
          if (response.status === 200) return
          expect(response.status).toBeLessThan(500)
          expect(response.headers.get('Cache-Control')).toBe('no-store')
          const body = (await response.json()) as { error: string; error_description?: string }
          expect(REGISTERED_ERRORS).toContain(body.error)
          expect(body.error_description ?? '').toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('opt-in per-isolate client cache (CLIENT_CACHE_TTL_SECONDS)', () => {
  it('M02 serves repeated token requests with no D1 round trip within its TTL, and drops an entry on a failure', async () => {
    const client = await createClient()
    const app = testApp(testConfig({ CLIENT_CACHE_TTL_SECONDS: '30' }))
    const request = (secret: string) =>
      app.request('/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: basic(client.id, secret),
        },
        body: 'grant_type=client_credentials',
      })
    await request(client.secret.value)
    const cached = await request(client.secret.value)
    expect(cached.status).toBe(200)
    expect(d1RoundTrips(cached)).toBe(0)
    // The documented delay: a deleted secret still works in this isolate while cached...
    await api(
      admin,
      'DELETE',
      `/client-credential-clients/${client.id}/secrets/${client.secret.id}`,
    )
    expect((await request(client.secret.value)).status).toBe(200)
    // ...and a failed authentication drops the entry, so the next request reads D1 again.
    expect((await request('wrong')).status).toBe(401)
    expect((await request(client.secret.value)).status).toBe(401)
  })
})

describe('client cache and failure counts per address', () => {
  it('N03 keeps one address locked out without locking out another, with the client cache on', async () => {
    const client = await createClient()
    const app = testApp(testConfig({ CLIENT_CACHE_TTL_SECONDS: '30' }))
    const request = (secret: string, ip: string) =>
      app.request('/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: basic(client.id, secret),
          'CF-Connecting-IP': ip,
        },
        body: 'grant_type=client_credentials',
      })
    const attacker = '198.18.3.1'
    const server = '198.18.3.2'
    for (let i = 0; i < 21; i++) await request(`wrong-${i}`, attacker)
    // The attacker's address is locked out, even with the right secret, again and again...
    expect((await request(client.secret.value, attacker)).status).toBe(429)
    expect((await request(client.secret.value, attacker)).status).toBe(429)
    // ...and the client's own server, at another address, gets its tokens from the cache's isolate.
    expect((await request(client.secret.value, server)).status).toBe(200)
    expect((await request(client.secret.value, server)).status).toBe(200)
    expect((await request(client.secret.value, attacker)).status).toBe(429)
  })
})

describe('disabling a client ends its tokens for good', () => {
  it('N04 refuses tokens issued before a disable after the client is enabled again; new tokens work', async () => {
    const roleIds = ['account-administrator']
    const client = await createClient({ roleIds })
    const rs = await createClient()
    const old = await clientToken(client.id, client.secret.value)
    const introspect = async (token: string) =>
      ((await (await tokenIntrospection(rs, token)).json()) as { active: boolean }).active
    expect((await api(old, 'GET', '/roles')).status).toBe(200)
    expect(await introspect(old)).toBe(true)
    const path = `/client-credential-clients/${client.id}`
    const settings = { name: 'Test service', roleIds }
    expect((await api(admin, 'PUT', path, { ...settings, enabled: false })).status).toBe(200)
    expect((await api(admin, 'PUT', path, { ...settings, enabled: true })).status).toBe(200)
    expect((await api(old, 'GET', '/roles')).status).toBe(401)
    expect(await introspect(old)).toBe(false)
    // Tokens are refused up to the second of the disable (iat has whole seconds): wait it out.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const fresh = await clientToken(client.id, client.secret.value)
    expect((await api(fresh, 'GET', '/roles')).status).toBe(200)
    expect(await introspect(fresh)).toBe(true)
  })
})

describe('token request validation: odd parameter names', () => {
  it('answers a repeated parameter whose name has a quote with 400, never 500', async () => {
    const response = await fetchWorker('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a%22=1&a%22=2',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Parameter a parameter is repeated',
    })
  })
})
