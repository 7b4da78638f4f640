import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type {
  AuditEventResource,
  ClientResource,
  CreatedClientResource,
  CreatedConfidentialClientResource,
  CreatedSecretResource,
  Page,
  SecretResource,
} from '../../../worker/src/routes/api/resource-types'
import type { TenantBootstrap } from '../../../worker/src/steps/bootstrap-tenant'
import {
  adminToken,
  api,
  basic,
  clientToken,
  readProblem,
  seedDemoTenant,
  TENANT_ID,
  tokenRequest,
} from '../helpers/tenant'
import { fetchWorker, ISSUER, OPS_AUTH } from '../helpers/worker'
import { CONTROL_CHARACTER_NAMES, TEXT_NAMES } from './control-names'

let admin: string

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

const KINDS = [
  { collection: 'client-credential-clients', body: {}, secrets: true },
  {
    collection: 'authorization-code-clients',
    body: { redirectUris: ['https://app.example.com/callback'] },
    secrets: false,
  },
  {
    collection: 'hybrid-clients',
    body: { redirectUris: ['https://web.example.com/signin-oidc'] },
    secrets: true,
  },
] as const

describe.each(KINDS)('management API: $collection', ({ collection, body, secrets }) => {
  it('creates with only the required fields and answers 201, Location and the defaults', async () => {
    const response = await api(admin, 'POST', `/${collection}`, { name: 'Minimal', ...body })
    expect(response.status).toBe(201)
    const created = (await response.json()) as CreatedClientResource
    expect(response.headers.get('Location')).toBe(
      `/api/v1/tenants/${TENANT_ID}/${collection}/${created.id}`,
    )
    expect(created).toMatchObject({
      name: 'Minimal',
      enabled: true,
      accessTokenLifetime: 3600,
      roleIds: ['account-member'],
    })
    expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    if (secrets) {
      const secret = created.secret as CreatedSecretResource
      expect(secret.value).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const yearAhead = Date.now() + 365 * 86400 * 1000
      expect(Math.abs(Date.parse(secret.expiration ?? '') - yearAhead)).toBeLessThan(60_000)
    } else {
      expect(created).not.toHaveProperty('secret')
    }
  })

  it('reads, lists with paging and a total, replaces (PUT) and deletes', async () => {
    const created = (await (
      await api(admin, 'POST', `/${collection}`, { name: 'Lifecycle', ...body })
    ).json()) as CreatedClientResource
    const read = await api(admin, 'GET', `/${collection}/${created.id}`)
    expect(read.status).toBe(200)
    const resource = (await read.json()) as Record<string, unknown>
    expect(resource).not.toHaveProperty('secret')

    const page = (await (
      await api(admin, 'GET', `/${collection}?skip=0&count=1`)
    ).json()) as Page<ClientResource>
    expect(page.items.length).toBe(1)
    expect(page.total).toBeGreaterThanOrEqual(1)

    // PUT accepts what GET answered (same id), and omitted optional fields return to defaults.
    const replaced = await api(admin, 'PUT', `/${collection}/${created.id}`, {
      ...resource,
      name: 'Renamed',
      accessTokenLifetime: 60,
    })
    expect(replaced.status, await replaced.clone().text()).toBe(200)
    expect(await replaced.json()).toMatchObject({
      id: created.id,
      name: 'Renamed',
      accessTokenLifetime: 60,
    })
    const defaults = await api(admin, 'PUT', `/${collection}/${created.id}`, {
      name: 'Defaults',
      ...body,
    })
    expect(await defaults.json()).toMatchObject({ accessTokenLifetime: 3600, enabled: true })

    expect((await api(admin, 'DELETE', `/${collection}/${created.id}`)).status).toBe(204)
    expect((await api(admin, 'GET', `/${collection}/${created.id}`)).status).toBe(404)
    expect((await api(admin, 'DELETE', `/${collection}/${created.id}`)).status).toBe(404)
  })

  it('refuses a PUT whose body id differs from the path', async () => {
    const created = (await (
      await api(admin, 'POST', `/${collection}`, { name: 'Id', ...body })
    ).json()) as CreatedClientResource
    const response = await api(admin, 'PUT', `/${collection}/${created.id}`, {
      name: 'x',
      ...body,
      id: 'other',
    })
    expect(response.status).toBe(400)
    expect((await readProblem(response)).errors).toEqual([
      { pointer: '#/id', detail: expect.any(String) },
    ])
  })

  it('answers invalid bodies with RFC 9457 problem details, one entry per invalid field', async () => {
    const response = await api(admin, 'POST', `/${collection}`, {
      name: '',
      accessTokenLifetime: 59,
      enabled: 'yes',
      ...body,
      unknownField: 1,
    })
    expect(response.status).toBe(400)
    const details = await readProblem(response)
    expect(details.title).toBe('The request is not valid')
    const pointers = details.errors?.map((e) => e.pointer).sort()
    expect(pointers).toEqual(
      expect.arrayContaining(['#/name', '#/accessTokenLifetime', '#/enabled']),
    )
    expect(pointers?.length).toBe(4)
  })

  it('N09 refuses a name with control or bidi override characters as a field error on #/name', async () => {
    for (const name of CONTROL_CHARACTER_NAMES) {
      const response = await api(admin, 'POST', `/${collection}`, { ...body, name })
      expect(response.status, JSON.stringify(name)).toBe(400)
      expect((await readProblem(response)).errors).toEqual([
        {
          pointer: '#/name',
          detail: 'Must not contain control or bidirectional override characters',
        },
      ])
    }
    const created = (await (
      await api(admin, 'POST', `/${collection}`, { ...body, name: 'Plain' })
    ).json()) as CreatedClientResource
    const replaced = await api(admin, 'PUT', `/${collection}/${created.id}`, {
      ...body,
      name: 'Plain\u202Etxt',
    })
    expect(replaced.status).toBe(400)
    for (const name of TEXT_NAMES) {
      const response = await api(admin, 'PUT', `/${collection}/${created.id}`, { ...body, name })
      expect(((await response.json()) as ClientResource).name).toBe(name)
    }
  })

  it('keeps Account Member, adds the requested roles, and refuses unknown roles by field', async () => {
    const created = await api(admin, 'POST', `/${collection}`, {
      name: 'Roles',
      roleIds: ['account-administrator'],
      ...body,
    })
    expect(((await created.json()) as ClientResource).roleIds).toEqual([
      'account-administrator',
      'account-member',
    ])
    const unknown = await api(admin, 'POST', `/${collection}`, {
      name: 'Roles',
      roleIds: ['account-member', 'nope'],
      ...body,
    })
    expect(unknown.status).toBe(400)
    expect((await readProblem(unknown)).errors).toEqual([
      { pointer: '#/roleIds/1', detail: 'Unknown role nope' },
    ])
  })

  it('answers 404 for a client of another kind', async () => {
    const other = collection === 'hybrid-clients' ? 'client-credential-clients' : 'hybrid-clients'
    const otherBody =
      other === 'hybrid-clients' ? { redirectUris: ['https://x.example.com/cb'] } : {}
    const created = (await (
      await api(admin, 'POST', `/${other}`, { name: 'Other', ...otherBody })
    ).json()) as CreatedClientResource
    expect((await api(admin, 'GET', `/${collection}/${created.id}`)).status).toBe(404)
    expect((await api(admin, 'DELETE', `/${collection}/${created.id}`)).status).toBe(404)
  })
})

describe('management API: URL settings of browser clients', () => {
  it.each([
    ['http://app.example.com/cb', 'https'],
    ['https://app.example.com/cb#frag', 'fragment'],
    ['/relative', 'absolute'],
    ['https://user:pw@app.example.com/cb', 'credentials'],
    ['javascript:alert(1)', 'http(s)'],
    ['https://app.example.com/a b', 'ASCII'],
  ])('A04 refuses the redirect URI %j', async (uri, message) => {
    const response = await api(admin, 'POST', '/authorization-code-clients', {
      name: 'Bad',
      redirectUris: [uri],
    })
    expect(response.status).toBe(400)
    const [error] = (await readProblem(response)).errors ?? []
    expect(error?.pointer).toBe('#/redirectUris/0')
    expect(error?.detail).toContain(message)
  })

  it.each(['http://localhost:5173/callback', 'http://127.0.0.1:8080/cb', 'http://[::1]:3000/cb'])(
    'accepts http on the loopback host %j and stores it byte for byte',
    async (uri) => {
      const response = await api(admin, 'POST', '/hybrid-clients', {
        name: 'Local',
        redirectUris: [uri],
      })
      expect(response.status).toBe(201)
      expect(((await response.json()) as ClientResource).redirectUris).toEqual([uri])
    },
  )

  it('requires at least one redirect URI and at most 10 of each list', async () => {
    const none = await api(admin, 'POST', '/authorization-code-clients', {
      name: 'None',
      redirectUris: [],
    })
    expect((await readProblem(none)).errors?.[0]?.pointer).toBe('#/redirectUris')
    const eleven = Array.from({ length: 11 }, (_, i) => `https://app.example.com/cb${i}`)
    const many = await api(admin, 'POST', '/authorization-code-clients', {
      name: 'Many',
      redirectUris: ['https://app.example.com/cb'],
      postLogoutRedirectUris: eleven,
    })
    expect((await readProblem(many)).errors?.[0]?.pointer).toBe('#/postLogoutRedirectUris')
  })

  it('accepts CORS origins only as bare origins', async () => {
    const response = await api(admin, 'POST', '/authorization-code-clients', {
      name: 'CORS',
      redirectUris: ['https://app.example.com/cb'],
      allowedCorsOrigins: ['https://app.example.com', 'https://app.example.com/path'],
    })
    expect((await readProblem(response)).errors?.map((e) => e.pointer)).toEqual([
      '#/allowedCorsOrigins/1',
    ])
  })
})

describe('management API: secrets', () => {
  it('adds secrets with a description and an expiration (or never), lists them without values, deletes', async () => {
    const client = (await (
      await api(admin, 'POST', '/client-credential-clients', {
        name: 'Secrets',
        secretExpiration: null,
      })
    ).json()) as CreatedConfidentialClientResource
    expect(client.secret.expiration).toBeNull()
    const expiration = new Date(Date.now() + 30 * 86400 * 1000).toISOString()
    const added = await api(admin, 'POST', `/client-credential-clients/${client.id}/secrets`, {
      description: 'Rotation 2',
      expiration,
    })
    expect(added.status).toBe(201)
    const secret = (await added.json()) as CreatedSecretResource
    expect(secret).toMatchObject({
      description: 'Rotation 2',
      value: expect.stringMatching(/^[\w-]{43}$/),
    })
    expect(Date.parse(secret.expiration ?? '')).toBe(
      Math.floor(Date.parse(expiration) / 1000) * 1000,
    )
    const list = (await (
      await api(admin, 'GET', `/client-credential-clients/${client.id}/secrets`)
    ).json()) as Page<SecretResource>
    expect(list.total).toBe(2)
    for (const item of list.items)
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'description', 'expiration', 'id'])
    expect(
      (await api(admin, 'DELETE', `/client-credential-clients/${client.id}/secrets/${secret.id}`))
        .status,
    ).toBe(204)
    expect(
      (await api(admin, 'DELETE', `/client-credential-clients/${client.id}/secrets/${secret.id}`))
        .status,
    ).toBe(404)
  })

  it('refuses an expiration in the past', async () => {
    const response = await api(admin, 'POST', '/client-credential-clients', {
      name: 'Past',
      secretExpiration: '2020-01-01T00:00:00Z',
    })
    expect((await readProblem(response)).errors?.[0]?.pointer).toBe('#/secretExpiration')
  })

  it('answers the 11th secret with 409, even when added concurrently', async () => {
    const client = (await (
      await api(admin, 'POST', '/client-credential-clients', { name: 'Ten' })
    ).json()) as CreatedClientResource
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        api(admin, 'POST', `/client-credential-clients/${client.id}/secrets`, {}),
      ),
    )
    const statuses = responses.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201).length).toBe(9)
    expect(statuses.filter((s) => s === 409).length).toBe(3)
    const list = (await (
      await api(admin, 'GET', `/client-credential-clients/${client.id}/secrets`)
    ).json()) as Page<SecretResource>
    expect(list.total).toBe(10)
  })

  it('has no secrets for authorization-code clients', async () => {
    const client = (await (
      await api(admin, 'POST', '/authorization-code-clients', {
        name: 'SPA',
        redirectUris: ['https://app.example.com/cb'],
      })
    ).json()) as CreatedClientResource
    expect(
      (await api(admin, 'GET', `/authorization-code-clients/${client.id}/secrets`)).status,
    ).toBe(404)
  })
})

describe('management API: limits', () => {
  it('answers the 50,001st client of a tenant with 409', async () => {
    const tenant = (await (
      await fetchWorker('/ops/tenants', {
        method: 'POST',
        headers: { ...OPS_AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Big', adminEmail: 'big@example.com' }),
      })
    ).json()) as TenantBootstrap
    // 49,999 more clients, written straight to D1 (the administrator's client is the first).
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 49999)
       INSERT INTO clients (id, tenant_id, type, name, created_at, updated_at)
       SELECT 'bulk-' || i, ?1, 'client-credentials', 'bulk', 0, 0 FROM n`,
    )
      .bind(tenant.tenantId)
      .run()
    const token = await clientToken(tenant.adminClient.id, tenant.adminClient.secret)
    const response = await api(
      token,
      'POST',
      '/client-credential-clients',
      { name: 'One too many' },
      tenant.tenantId,
    )
    expect(response.status).toBe(409)
    expect((await readProblem(response)).title).toBe('A limit would be exceeded')
  })
})

describe('management API: authorization', () => {
  it('answers 401 with a Bearer challenge without a token or with a bad one', async () => {
    const none = await fetchWorker(`/api/v1/tenants/${TENANT_ID}/roles`)
    expect(none.status).toBe(401)
    // RFC 9728 §5.1: the challenge names the API's protected-resource metadata.
    expect(none.headers.get('WWW-Authenticate')).toBe(
      `Bearer realm="api", resource_metadata="${ISSUER}/.well-known/oauth-protected-resource/api/v1"`,
    )
    const bad = await api('not-a-token', 'GET', '/roles')
    expect(bad.status).toBe(401)
    expect(bad.headers.get('WWW-Authenticate')).toMatch(/error="invalid_token"/)
  })

  it('answers 403 to a token whose subject is not an Account Administrator', async () => {
    const member = (await (
      await api(admin, 'POST', '/client-credential-clients', { name: 'Member' })
    ).json()) as CreatedConfidentialClientResource
    const token = await clientToken(member.id, member.secret.value)
    expect((await api(token, 'GET', '/client-credential-clients')).status).toBe(403)
  })

  it('takes a removed administrator role into account on the next request', async () => {
    const created = (await (
      await api(admin, 'POST', '/client-credential-clients', {
        name: 'Demoted',
        roleIds: ['account-administrator'],
      })
    ).json()) as CreatedConfidentialClientResource
    const token = await clientToken(created.id, created.secret.value)
    expect((await api(token, 'GET', '/roles')).status).toBe(200)
    await api(admin, 'PUT', `/client-credential-clients/${created.id}`, { name: 'Demoted' })
    expect((await api(token, 'GET', '/roles')).status).toBe(403)
  })

  it("never lets a tenant's administrator see or touch another tenant's data", async () => {
    const other = (await (
      await fetchWorker('/ops/tenants', {
        method: 'POST',
        headers: { ...OPS_AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Other', adminEmail: 'other@example.com' }),
      })
    ).json()) as TenantBootstrap
    const otherAdmin = await clientToken(other.adminClient.id, other.adminClient.secret)
    const mine = (await (
      await api(admin, 'POST', '/client-credential-clients', { name: 'Mine' })
    ).json()) as CreatedClientResource

    // With their own token on my tenant's URLs: 403, whatever the route.
    for (const [method, path] of [
      ['GET', '/client-credential-clients'],
      ['GET', `/client-credential-clients/${mine.id}`],
      ['DELETE', `/client-credential-clients/${mine.id}`],
      ['POST', '/roles'],
    ] as const) {
      const response = await api(
        otherAdmin,
        method,
        path,
        method === 'POST' ? { name: 'x' } : undefined,
      )
      expect(response.status, `${method} ${path}`).toBe(403)
    }
    // With their token on their tenant's URLs, my client does not exist.
    expect(
      (
        await api(
          otherAdmin,
          'GET',
          `/client-credential-clients/${mine.id}`,
          undefined,
          other.tenantId,
        )
      ).status,
    ).toBe(404)
    expect(
      (
        await api(
          otherAdmin,
          'DELETE',
          `/client-credential-clients/${mine.id}`,
          undefined,
          other.tenantId,
        )
      ).status,
    ).toBe(404)
    // And it still exists.
    expect((await api(admin, 'GET', `/client-credential-clients/${mine.id}`)).status).toBe(200)
  })

  it('L04 G08 refuses a JWT signed by this server whose typ is not at+jwt', async () => {
    const { SignJWT } = await import('jose')
    const { testApp } = await import('../helpers/worker')
    const { testDb } = await import('../helpers/worker')
    const key = await testApp().services.keyring.signingKey(testDb(), env.CACHE, 'RS256')
    const claims = JSON.parse(atob(admin.split('.')[1] ?? '')) as Record<string, unknown>
    const idTokenLike = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .sign(key.key)
    expect((await api(idTokenLike, 'GET', '/roles')).status).toBe(401)
  })

  it('refuses a token without the api scope or for another audience', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'openid' },
      {
        Authorization: basic(env.DEMO_ADMIN_CLIENT_ID ?? '', env.DEMO_ADMIN_CLIENT_SECRET ?? ''),
      },
    )
    expect(response.status).toBe(400)
  })
})

describe('management API: audit log', () => {
  it('records every change with who, what and when, never a secret value', async () => {
    const created = (await (
      await api(admin, 'POST', '/client-credential-clients', { name: 'Audited' })
    ).json()) as CreatedConfidentialClientResource
    await api(admin, 'PUT', `/client-credential-clients/${created.id}`, { name: 'Audited 2' })
    const added = (await (
      await api(admin, 'POST', `/client-credential-clients/${created.id}/secrets`, {})
    ).json()) as CreatedSecretResource
    await api(
      admin,
      'DELETE',
      `/client-credential-clients/${created.id}/secrets/${created.secret.id}`,
    )
    await api(admin, 'DELETE', `/client-credential-clients/${created.id}`)
    const log = (await (
      await api(admin, 'GET', '/audit-events?count=1000')
    ).json()) as Page<AuditEventResource>
    const mine = log.items.filter((e) => e.targetId === created.id).map((e) => e.action)
    expect(mine).toEqual([
      'client.deleted',
      'client_secret.deleted',
      'client_secret.added',
      'client.replaced',
      'client.created',
    ])
    const event = log.items.find((e) => e.targetId === created.id)
    expect(event).toMatchObject({ actorType: 'client', actorId: env.DEMO_ADMIN_CLIENT_ID })
    const text = JSON.stringify(log)
    expect(text).not.toContain(created.secret.value)
    expect(text).not.toContain(added.value)
  })

  it('writes nothing when the change is refused', async () => {
    const before = (
      (await (await api(admin, 'GET', '/audit-events')).json()) as Page<AuditEventResource>
    ).total
    await api(admin, 'DELETE', `/client-credential-clients/${crypto.randomUUID()}`)
    await api(admin, 'POST', '/client-credential-clients', { name: '' })
    const after = (
      (await (await api(admin, 'GET', '/audit-events')).json()) as Page<AuditEventResource>
    ).total
    expect(after).toBe(before)
  })
})

describe('management API: user tokens act with the roles user and client both hold', () => {
  it('refuses an administrator token issued through a client that no longer holds Account Administrator', async () => {
    const { Browser, spaRequest, responseParams, exchangeCode } = await import('../helpers/browser')
    const created = (await (
      await api(admin, 'POST', '/authorization-code-clients', {
        name: 'Portal 2',
        redirectUris: ['https://portal.example/cb'],
        roleIds: ['account-administrator'],
      })
    ).json()) as CreatedClientResource
    const { query, verifier } = await spaRequest({
      client_id: created.id,
      redirect_uri: 'https://portal.example/cb',
    })
    const response = await new Browser().authorize(query, {
      email: env.DEMO_ADMIN_EMAIL ?? '',
      password: env.DEMO_ADMIN_PASSWORD ?? '',
    })
    const code = responseParams(response).get('code') ?? ''
    const tokens = (await (
      await exchangeCode(code, verifier, {
        client_id: created.id,
        redirect_uri: 'https://portal.example/cb',
      })
    ).json()) as {
      access_token: string
    }
    expect((await api(tokens.access_token, 'GET', '/roles')).status).toBe(200)
    await api(admin, 'PUT', `/authorization-code-clients/${created.id}`, {
      name: 'Portal 2',
      redirectUris: ['https://portal.example/cb'],
    })
    expect((await api(tokens.access_token, 'GET', '/roles')).status).toBe(403)
  })
})
