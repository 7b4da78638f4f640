import { beforeAll, describe, expect, it } from 'vitest'
import { signedInTokens } from './helpers/browser'
import { backChannel, createHybridClient, hybridTokens, refresh } from './helpers/hybrid'
import { adminToken, api, clientToken, seedDemoTenant } from './helpers/tenant'
import { fetchWorker, OPS_AUTH } from './helpers/worker'

beforeAll(seedDemoTenant)

const userinfo = (token: string) =>
  fetchWorker('/userinfo', { headers: { Authorization: `Bearer ${token}` } })

async function resourceServer() {
  const admin = await adminToken()
  return (await (
    await api(admin, 'POST', '/client-credential-clients', { name: 'Resource server' })
  ).json()) as {
    id: string
    secret: { value: string }
  }
}

describe('revocation (RFC 7009)', () => {
  it('J01 answers a confidential client without valid credentials with 401 invalid_client', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const response = await backChannel({ ...client, secret: { value: 'wrong' } }, '/revoke', {
      token: 'x',
    })
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client')
  })

  it('J02 answers 200 for a garbage, unknown or already revoked token', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    for (const token of [
      'garbage',
      'a.b.c',
      tokens.refresh_token ?? '',
      tokens.refresh_token ?? '',
    ]) {
      const response = await backChannel(client, '/revoke', { token })
      expect(response.status).toBe(200)
      expect(response.headers.get('Cache-Control')).toBe('no-store')
    }
  })

  it('J04 F09 revokes a refresh token whatever the hint, and with it the access tokens of its grant', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    expect((await userinfo(tokens.access_token)).status).toBe(200)
    const response = await backChannel(client, '/revoke', {
      token: tokens.refresh_token ?? '',
      token_type_hint: 'access_token',
    })
    expect(response.status).toBe(200)
    expect(
      ((await (await refresh(client, tokens.refresh_token ?? '')).json()) as { error: string })
        .error,
    ).toBe('invalid_grant')
    expect((await userinfo(tokens.access_token)).status).toBe(401)
  })

  it('J05 revokes an access token at once: introspection inactive and userinfo 401', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const rs = await resourceServer()
    expect(
      (
        await backChannel(client, '/revoke', {
          token: tokens.access_token,
          token_type_hint: 'unknown_hint',
        })
      ).status,
    ).toBe(200)
    expect((await userinfo(tokens.access_token)).status).toBe(401)
    const introspected = await backChannel(rs, '/introspect', { token: tokens.access_token })
    expect(await introspected.json()).toEqual({ active: false })
    // The refresh token of the grant still works: only that access token was revoked.
    expect((await refresh(client, tokens.refresh_token ?? '')).status).toBe(200)
  })

  it("J03 leaves another client's token active when that client asks to revoke it", async () => {
    const owner = await createHybridClient({ allowRefreshToken: true })
    const other = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(owner)
    expect(
      (await backChannel(other, '/revoke', { token: tokens.refresh_token ?? '' })).status,
    ).toBe(200)
    expect((await backChannel(other, '/revoke', { token: tokens.access_token })).status).toBe(200)
    expect((await refresh(owner, tokens.refresh_token ?? '')).status).toBe(200)
    expect((await userinfo(tokens.access_token)).status).toBe(200)
  })

  it('J06 answers an ID token with 400 unsupported_token_type', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const response = await backChannel(client, '/revoke', { token: tokens.id_token ?? '' })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: string }).error).toBe('unsupported_token_type')
  })

  it('lets a public SPA client revoke its own access token with its client_id', async () => {
    const { tokens } = await signedInTokens()
    const response = await fetchWorker('/revoke', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://localhost:5173',
      },
      body: new URLSearchParams({
        token: tokens.access_token,
        client_id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      }).toString(),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173')
    expect((await userinfo(tokens.access_token)).status).toBe(401)
  })
})

describe('introspection (RFC 7662)', () => {
  it('K01 answers an unauthenticated or public caller with 401', async () => {
    const { tokens } = await signedInTokens()
    const anonymous = await fetchWorker('/introspect', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token }).toString(),
    })
    expect(anonymous.status).toBe(401)
    const spa = await fetchWorker('/introspect', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: tokens.access_token,
        client_id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      }).toString(),
    })
    expect(spa.status).toBe(401)
  })

  it('K03 K04 describes an active access token, never cached', async () => {
    const { tokens } = await signedInTokens()
    const rs = await resourceServer()
    const response = await backChannel(rs, '/introspect', { token: tokens.access_token })
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(await response.json()).toMatchObject({
      active: true,
      scope: 'openid profile email api',
      client_id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
      sub: expect.any(String),
      exp: expect.any(Number),
      iat: expect.any(Number),
      iss: 'http://localhost:8787',
      token_type: 'Bearer',
      aud: expect.any(Array),
    })
  })

  it('K03 describes an active refresh token to its tenant', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const response = await backChannel(client, '/introspect', { token: tokens.refresh_token ?? '' })
    expect(await response.json()).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      client_id: client.id,
    })
  })

  it('K02 answers exactly {"active":false} for an expired, revoked, unknown or foreign token', async () => {
    const rs = await resourceServer()
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const used = tokens.refresh_token ?? ''
    await refresh(client, used)
    // Another tenant's resource server.
    const other = (await (
      await fetchWorker('/ops/tenants', {
        method: 'POST',
        headers: { ...OPS_AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Foreign', adminEmail: 'foreign@example.com' }),
      })
    ).json()) as { adminClient: { id: string; secret: string } }
    const foreign = { id: other.adminClient.id, secret: { value: other.adminClient.secret } }
    for (const [caller, token] of [
      [rs, 'garbage'],
      [rs, used],
      [foreign, tokens.access_token],
    ] as const) {
      const response = await backChannel(caller, '/introspect', { token })
      expect(await response.json()).toEqual({ active: false })
    }
  })

  it('K02 reports a client-credentials token inactive once its client is disabled', async () => {
    const admin = await adminToken()
    const svc = (await (
      await api(admin, 'POST', '/client-credential-clients', { name: 'svc' })
    ).json()) as {
      id: string
      secret: { value: string }
    }
    const token = await clientToken(svc.id, svc.secret.value)
    const rs = await resourceServer()
    expect(
      ((await (await backChannel(rs, '/introspect', { token })).json()) as { active: boolean })
        .active,
    ).toBe(true)
    await api(admin, 'PUT', `/client-credential-clients/${svc.id}`, { name: 'svc', enabled: false })
    expect(await (await backChannel(rs, '/introspect', { token })).json()).toEqual({
      active: false,
    })
  })
})

describe('introspection: who may see which token', () => {
  it("keeps a client's tokens from another confidential client that is not a resource server", async () => {
    const owner = await createHybridClient({ allowRefreshToken: true })
    const other = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(owner)
    for (const token of [tokens.access_token, tokens.refresh_token ?? '']) {
      expect(await (await backChannel(other, '/introspect', { token })).json()).toEqual({
        active: false,
      })
      expect(
        ((await (await backChannel(owner, '/introspect', { token })).json()) as { active: boolean })
          .active,
      ).toBe(true)
    }
    // A resource server (client-credentials client) sees access tokens, never refresh tokens.
    const rs = await resourceServer()
    expect(
      (
        (await (await backChannel(rs, '/introspect', { token: tokens.access_token })).json()) as {
          active: boolean
        }
      ).active,
    ).toBe(true)
    expect(
      await (await backChannel(rs, '/introspect', { token: tokens.refresh_token ?? '' })).json(),
    ).toEqual({ active: false })
  })
})
