import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import worker from '../../worker/src/index'
import { MAX_REGISTRATIONS_PER_ADDRESS } from '../../worker/src/steps/registration/limit-registrations'
import { UNUSED_REGISTRATION_SECONDS } from '../../worker/src/storage/purge'
import { ADMIN_EMAIL, ADMIN_PASSWORD, exchangeCode } from './helpers/browser'
import {
  allowRegistration,
  authorizeRegistered,
  clientMetadata,
  initialAccessToken,
  REGISTERED_REDIRECT,
  type Registered,
  randomIp,
  register,
  registerClient,
} from './helpers/registration'
import { seedDemoTenant, TENANT_ID } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

beforeAll(async () => {
  await seedDemoTenant()
})

async function oauthError(response: Response, status: number): Promise<string> {
  expect(response.status).toBe(status)
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
  return ((await response.json()) as { error: string }).error
}

const manage = (registered: Registered, method: string, token?: string) =>
  fetchWorker(new URL(registered.registration_client_uri).pathname, {
    method,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  })

describe('dynamic client registration: the initial access token (RFC 7591 §3)', () => {
  it('refuses a registration without an initial access token: 401 invalid_token, Bearer challenge (RFC 6750 §3)', async () => {
    await allowRegistration()
    const response = await register(clientMetadata(), undefined)
    expect(await oauthError(response, 401)).toBe('invalid_token')
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
  })

  it('refuses an unknown initial access token with 401 invalid_token', async () => {
    await allowRegistration()
    const response = await register(clientMetadata(), 'not-a-token')
    expect(await oauthError(response, 401)).toBe('invalid_token')
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"')
  })

  it('refuses an expired initial access token', async () => {
    await allowRegistration()
    const { token } = await initialAccessToken({ expiresIn: -1 })
    expect(await oauthError(await register(clientMetadata(), token), 401)).toBe('invalid_token')
  })

  it('refuses a revoked initial access token', async () => {
    await allowRegistration()
    const { id, token } = await initialAccessToken()
    await env.DB.prepare('UPDATE initial_access_tokens SET revoked_at = 1 WHERE id = ?1')
      .bind(id)
      .run()
    expect(await oauthError(await register(clientMetadata(), token), 401)).toBe('invalid_token')
  })

  it('M01 spends one use per registration: a token of two uses registers two clients, not a third', async () => {
    await allowRegistration()
    const { token } = await initialAccessToken({ maxUses: 2 })
    const answers = await Promise.all([1, 2, 3].map(() => register(clientMetadata(), token)))
    const statuses = answers.map((response) => response.status).sort()
    expect(statuses).toEqual([201, 201, 401])
  })

  it('refuses registration with 403 while the tenant has dynamic registration off (the default)', async () => {
    const { token } = await initialAccessToken()
    await allowRegistration(false)
    const response = await register(clientMetadata(), token)
    expect(await oauthError(response, 403)).toBe('access_denied')
    // The refusal spent no use: once turned on, the same token registers.
    await allowRegistration(true)
    expect((await register(clientMetadata(), token)).status).toBe(201)
  })
})

describe('dynamic client registration: the metadata (RFC 7591 §2, §3.2.2)', () => {
  let token: string
  beforeAll(async () => {
    await allowRegistration()
    token = (await initialAccessToken()).token
  })

  it.each([
    ['no redirect_uris', { redirect_uris: undefined }],
    ['empty redirect_uris', { redirect_uris: [] }],
    ['a redirect URI with a fragment', { redirect_uris: ['https://app.example.com/cb#x'] }],
    ['a plain http redirect URI off loopback', { redirect_uris: ['http://app.example.com/cb'] }],
    ['a relative redirect URI', { redirect_uris: ['/callback'] }],
    ['a redirect URI that is not a string', { redirect_uris: [42] }],
  ])('A04 refuses %s with invalid_redirect_uri', async (_, overrides) => {
    const response = await register(clientMetadata(overrides), token)
    expect(await oauthError(response, 400)).toBe('invalid_redirect_uri')
  })

  it.each([
    [
      'an unsupported token_endpoint_auth_method',
      { token_endpoint_auth_method: 'client_secret_basic' },
    ],
    ['private_key_jwt without jwks_uri', { token_endpoint_auth_method: 'private_key_jwt' }],
    [
      'inline jwks',
      {
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: 'https://c.example/jwks',
        jwks: { keys: [] },
      },
    ],
    [
      'jwks_uri over http',
      { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://c.example/jwks' },
    ],
    ['jwks_uri for a none client', { jwks_uri: 'https://c.example/jwks' }],
    [
      'a grant type other than authorization_code and refresh_token',
      { grant_types: ['client_credentials'] },
    ],
    ['grant_types without authorization_code', { grant_types: ['refresh_token'] }],
    ['a response type other than code', { response_types: ['token'] }],
    ['a client_name with a control character', { client_name: 'App\nName' }],
    ['an empty client_name', { client_name: '   ' }],
    ['a client_uri that is not https', { client_uri: 'ftp://c.example' }],
    ['a logo_uri that is not a URL', { logo_uri: 'logo.png' }],
    ['a scope outside the grammar', { scope: 'openid "x"' }],
  ])('refuses %s with invalid_client_metadata', async (_, overrides) => {
    const response = await register(clientMetadata(overrides), token)
    const body = (await response.json()) as { error: string; error_description: string }
    expect(response.status).toBe(400)
    expect(body.error).toBe('invalid_client_metadata')
    expect(body.error_description).toMatch(/^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/)
  })

  it('refuses a body that is not a JSON object, or not JSON at all', async () => {
    expect(await oauthError(await register('[]', token), 400)).toBe('invalid_client_metadata')
    expect(await oauthError(await register('{', token), 400)).toBe('invalid_client_metadata')
    const form = await register('a=b', token, randomIp(), {
      'Content-Type': 'application/x-www-form-urlencoded',
    })
    expect(await oauthError(form, 400)).toBe('invalid_client_metadata')
  })

  it('spends no use of the token on refused metadata', async () => {
    const { token: once } = await initialAccessToken({ maxUses: 1 })
    await register(clientMetadata({ redirect_uris: [] }), once)
    expect((await register(clientMetadata(), once)).status).toBe(201)
  })
})

describe('dynamic client registration: the answer (RFC 7591 §3.2.1)', () => {
  it('answers 201 with the client information, the registration access token and its URI', async () => {
    await allowRegistration()
    const { token } = await initialAccessToken()
    const response = await register(
      clientMetadata({
        client_uri: 'https://client.example/',
        logo_uri: 'https://client.example/logo.png',
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'openid profile',
        contacts: ['ops@client.example'],
        client_secret: 'ignored',
      }),
      token,
    )
    expect(response.status).toBe(201)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const body = (await response.json()) as Registered
    expect(body).toEqual({
      client_id: expect.any(String),
      client_id_issued_at: expect.any(Number),
      client_name: 'Test MCP client',
      redirect_uris: [REGISTERED_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      client_uri: 'https://client.example/',
      logo_uri: 'https://client.example/logo.png',
      scope: 'openid profile',
      registration_access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      registration_client_uri: `${ISSUER}/register/${body.client_id}`,
    })
    expect(response.headers.get('Location')).toBe(body.registration_client_uri)
    const row = await env.DB.prepare(
      `SELECT c.tenant_id, c.type, c.registration, c.token_endpoint_auth_method, r.registration_token_hash
       FROM clients c JOIN client_registrations r ON r.client_id = c.id WHERE c.id = ?1`,
    )
      .bind(body.client_id)
      .first<Record<string, string>>()
    expect(row).toMatchObject({
      tenant_id: TENANT_ID,
      type: 'authorization-code',
      registration: 'dynamic',
      token_endpoint_auth_method: 'none',
    })
    // D07: stored as a digest only.
    expect(row?.registration_token_hash).not.toBe(body.registration_access_token)
  })

  it('defaults the name to the redirect URI host and the method to none', async () => {
    const body = await registerClient({ client_name: undefined })
    expect(body.client_name).toBe('127.0.0.1')
    expect(body.token_endpoint_auth_method).toBe('none')
    expect(body.grant_types).toEqual(['authorization_code'])
  })

  it('accepts a private_key_jwt client with an https jwks_uri', async () => {
    const body = await registerClient({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://client.example/jwks.json',
    })
    expect(body).toMatchObject({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://client.example/jwks.json',
    })
  })

  it('allows any origin to register: CORS without credentials (browser MCP clients)', async () => {
    const preflight = await fetchWorker('/register', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://mcp.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(preflight.headers.get('Access-Control-Allow-Credentials')).toBeNull()
    const response = await register(clientMetadata(), undefined, randomIp(), {
      Origin: 'https://mcp.example',
    })
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
  })

  it(`answers 429 with Retry-After past ${MAX_REGISTRATIONS_PER_ADDRESS} registration requests per address an hour`, async () => {
    await allowRegistration()
    const { token } = await initialAccessToken()
    const ip = randomIp()
    for (let i = 0; i < MAX_REGISTRATIONS_PER_ADDRESS; i++) {
      expect((await register(clientMetadata(), token, ip)).status).toBe(201)
    }
    const refused = await register(clientMetadata(), token, ip)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: string }).error).toBe('temporarily_unavailable')
    // Another address is not affected.
    expect((await register(clientMetadata(), token)).status).toBe(201)
  })
})

describe('client configuration endpoint (RFC 7592)', () => {
  it('reads the registration with its registration access token, and issues a new one (§2.1, §3)', async () => {
    const registered = await registerClient()
    const response = await manage(registered, 'GET', registered.registration_access_token)
    expect(response.status).toBe(200)
    const body = (await response.json()) as Registered
    expect(body.client_id).toBe(registered.client_id)
    expect(body.redirect_uris).toEqual([REGISTERED_REDIRECT])
    expect(body.registration_access_token).not.toBe(registered.registration_access_token)
    // The old token is replaced; the new one works.
    const old = await manage(registered, 'GET', registered.registration_access_token)
    expect(await oauthError(old, 401)).toBe('invalid_token')
    expect((await manage(registered, 'GET', body.registration_access_token)).status).toBe(200)
  })

  it('refuses a read without a token, with an initial access token, or with another client’s token', async () => {
    const registered = await registerClient()
    const other = await registerClient()
    expect(await oauthError(await manage(registered, 'GET'), 401)).toBe('invalid_token')
    const { token } = await initialAccessToken()
    expect(await oauthError(await manage(registered, 'GET', token), 401)).toBe('invalid_token')
    const crossed = await manage(registered, 'GET', other.registration_access_token)
    expect(await oauthError(crossed, 401)).toBe('invalid_token')
  })

  it('answers 401, not 404, for a client id that does not exist (§2)', async () => {
    const registered = await registerClient()
    const response = await fetchWorker(`/register/${crypto.randomUUID()}`, {
      headers: { Authorization: `Bearer ${registered.registration_access_token}` },
    })
    expect(await oauthError(response, 401)).toBe('invalid_token')
  })

  it('deletes the registration and the client with its registration access token (§2.3)', async () => {
    const registered = await registerClient()
    expect(await oauthError(await manage(registered, 'DELETE'), 401)).toBe('invalid_token')
    const response = await manage(registered, 'DELETE', registered.registration_access_token)
    expect(response.status).toBe(204)
    const client = await env.DB.prepare('SELECT id FROM clients WHERE id = ?1')
      .bind(registered.client_id)
      .first()
    expect(client).toBeNull()
    const again = await manage(registered, 'GET', registered.registration_access_token)
    expect(await oauthError(again, 401)).toBe('invalid_token')
  })

  it('answers 405 to an update (§2.2 is not offered)', async () => {
    const registered = await registerClient()
    const response = await manage(registered, 'PUT', registered.registration_access_token)
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, DELETE')
  })
})

describe('a registered client', () => {
  it('C04 signs a user in with /authorize and redeems its code with PKCE at /token (RFC 7636)', async () => {
    const registered = await registerClient()
    const { code, verifier } = await authorizeRegistered(registered.client_id, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    })
    expect(code).not.toBe('')
    const response = await exchangeCode(code, verifier, {
      client_id: registered.client_id,
      redirect_uri: REGISTERED_REDIRECT,
    })
    expect(response.status).toBe(200)
    const tokens = (await response.json()) as Record<string, unknown>
    expect(tokens.access_token).toEqual(expect.any(String))
    expect(tokens.id_token).toEqual(expect.any(String))
    const used = await env.DB.prepare(
      'SELECT first_used_at FROM client_registrations WHERE client_id = ?1',
    )
      .bind(registered.client_id)
      .first<{ first_used_at: number | null }>()
    expect(used?.first_used_at).toEqual(expect.any(Number))
  })

  it('is deleted by the daily purge when it got no token within a week, and kept once used', async () => {
    const unused = await registerClient()
    const used = await registerClient()
    const { code, verifier } = await authorizeRegistered(used.client_id, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    })
    await exchangeCode(code, verifier, {
      client_id: used.client_id,
      redirect_uri: REGISTERED_REDIRECT,
    })
    const fresh = await registerClient()
    const old = Math.floor(Date.now() / 1000) - UNUSED_REGISTRATION_SECONDS - 60
    await env.DB.prepare(
      'UPDATE client_registrations SET registered_at = ?1 WHERE client_id IN (?2, ?3)',
    )
      .bind(old, unused.client_id, used.client_id)
      .run()
    await worker.scheduled(createScheduledController({ cron: '17 3 * * *' }), env)
    const exists = async (id: string) =>
      (await env.DB.prepare('SELECT 1 FROM clients WHERE id = ?1').bind(id).first()) !== null
    expect(await exists(unused.client_id)).toBe(false)
    expect(await exists(used.client_id)).toBe(true)
    expect(await exists(fresh.client_id)).toBe(true)
  })
})
