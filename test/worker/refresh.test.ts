import { env } from 'cloudflare:workers'
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../worker/src/crypto/hash'
import { REFRESH_TOKEN_REUSE_GRACE_SECONDS } from '../../worker/src/domain/refresh-token'
import { Browser } from './helpers/browser'
import {
  backChannel,
  createHybridClient,
  HYBRID_REDIRECT,
  hybridTokens,
  refresh,
  type TokenSet,
} from './helpers/hybrid'
import { adminToken, api, d1RoundTrips, seedDemoTenant } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

beforeAll(seedDemoTenant)

const userinfo = (token: string) =>
  fetchWorker('/userinfo', { headers: { Authorization: `Bearer ${token}` } })
const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetchWorker('/.well-known/jwks.json')).json()) as JSONWebKeySet
}

/** Moves a rotation back in time, past the reuse grace (REFRESH_TOKEN_REUSE_GRACE_SECONDS). */
async function ageRotation(refreshToken: string) {
  await env.DB.prepare(
    'UPDATE refresh_tokens SET consumed_at = consumed_at - ?2 WHERE token_hash = ?1',
  )
    .bind(await sha256(refreshToken), REFRESH_TOKEN_REUSE_GRACE_SECONDS + 1)
    .run()
}

describe('refresh tokens (RFC 6749 §6, RFC 9700 §4.14.2)', () => {
  it('F02 issues a refresh token only to a hybrid client that allows it, for offline_access', async () => {
    const allowed = await createHybridClient({ allowRefreshToken: true })
    expect((await hybridTokens(allowed)).tokens.refresh_token).toEqual(expect.any(String))
    const withoutScope = await hybridTokens(allowed, { scope: 'openid' })
    expect(withoutScope.tokens).not.toHaveProperty('refresh_token')
    const notAllowed = await createHybridClient({ allowRefreshToken: false })
    const { tokens } = await hybridTokens(notAllowed)
    expect(tokens).not.toHaveProperty('refresh_token')
    expect(tokens.scope).toBe('openid')
  })

  it('F08 issues refresh tokens of 256 bits in VSCHAR, stored only as hashes', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const rows = await env.DB.prepare('SELECT * FROM refresh_tokens').all()
    expect(JSON.stringify(rows.results)).not.toContain(tokens.refresh_token)
    const stored = await env.DB.prepare('SELECT 1 FROM refresh_tokens WHERE token_hash = ?1')
      .bind(await sha256(tokens.refresh_token ?? ''))
      .first()
    expect(stored).not.toBeNull()
  })

  it('F05 rotates on every use; replaying the old one revokes the whole grant', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const first = (await (await refresh(client, tokens.refresh_token ?? '')).json()) as TokenSet
    expect(first.refresh_token).toEqual(expect.any(String))
    expect(first.refresh_token).not.toBe(tokens.refresh_token)
    expect((await userinfo(first.access_token)).status).toBe(200)

    // Later than the grace for the client's own racing requests (N05).
    await ageRotation(tokens.refresh_token ?? '')
    const replay = await refresh(client, tokens.refresh_token ?? '')
    expect(replay.status).toBe(400)
    expect(await errorOf(replay)).toBe('invalid_grant')
    // The whole grant is gone: the new refresh token and its access token too.
    expect(await errorOf(await refresh(client, first.refresh_token ?? ''))).toBe('invalid_grant')
    expect((await userinfo(first.access_token)).status).toBe(401)
  })

  it('gives exactly one success to concurrent refreshes with the same token', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => refresh(client, tokens.refresh_token ?? '')),
    )
    expect(responses.filter((r) => r.status === 200).length).toBe(1)
  })

  it('N05 answers concurrent refreshes with one token by one success whose tokens work, and invalid_grant', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => refresh(client, tokens.refresh_token ?? '')),
    )
    const successes = responses.filter((r) => r.status === 200)
    expect(successes.length).toBe(1)
    for (const response of responses.filter((r) => r.status !== 200)) {
      expect(response.status).toBe(400)
      expect(await errorOf(response)).toBe('invalid_grant')
    }
    for (const response of successes) {
      const issued = (await response.json()) as TokenSet
      expect((await userinfo(issued.access_token)).status).toBe(200)
      const introspected = await backChannel(client, '/introspect', {
        token: issued.refresh_token ?? '',
      })
      expect(((await introspected.json()) as { active: boolean }).active).toBe(true)
      expect((await refresh(client, issued.refresh_token ?? '')).status).toBe(200)
    }
  })

  it('N05 answers its own client presenting a just-rotated token with invalid_grant, revoking nothing', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const first = (await (await refresh(client, tokens.refresh_token ?? '')).json()) as TokenSet
    expect(await errorOf(await refresh(client, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    expect((await userinfo(first.access_token)).status).toBe(200)
    expect((await refresh(client, first.refresh_token ?? '')).status).toBe(200)
  })

  it('F05 revokes the grant when another client presents a just-rotated token, grace or not', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const other = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const first = (await (await refresh(client, tokens.refresh_token ?? '')).json()) as TokenSet
    expect(await errorOf(await refresh(other, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    expect((await userinfo(first.access_token)).status).toBe(401)
    expect(await errorOf(await refresh(client, first.refresh_token ?? ''))).toBe('invalid_grant')
  })

  it("F03 refuses a client's refresh token presented with another client's credentials", async () => {
    const a = await createHybridClient({ allowRefreshToken: true })
    const b = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(a)
    expect(await errorOf(await refresh(b, tokens.refresh_token ?? ''))).toBe('invalid_grant')
    // And it was not burned: its own client can still use it.
    expect((await refresh(a, tokens.refresh_token ?? '')).status).toBe(200)
  })

  it('F04 refuses a scope beyond the grant (invalid_scope), and narrows the access token for a narrower one', async () => {
    const client = await createHybridClient({
      allowRefreshToken: true,
      roleIds: ['account-administrator'],
    })
    const { tokens } = await hybridTokens(client, { scope: 'openid offline_access api' })
    expect(
      await errorOf(await refresh(client, tokens.refresh_token ?? '', { scope: 'openid email' })),
    ).toBe('invalid_scope')
    const narrower = (await (
      await refresh(client, tokens.refresh_token ?? '', { scope: 'api' })
    ).json()) as TokenSet
    expect(narrower.scope).toBe('api')
    expect(decodeJwt(narrower.access_token).scope).toBe('api')
    // The grant keeps its scope: the next refresh may ask for all of it again.
    const again = (await (await refresh(client, narrower.refresh_token ?? '')).json()) as TokenSet
    expect(again.scope).toBe('openid offline_access api')
  })

  it('F06 answers a new ID token with the same iss, sub, aud, azp and auth_time, a new iat and no nonce', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const original = decodeJwt(tokens.id_token ?? '')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const refreshed = (await (await refresh(client, tokens.refresh_token ?? '')).json()) as TokenSet
    const { payload } = await jwtVerify(refreshed.id_token ?? '', createLocalJWKSet(await jwks()), {
      issuer: ISSUER,
      audience: client.id,
    })
    for (const claim of ['iss', 'sub', 'aud', 'azp', 'auth_time'])
      expect(payload[claim]).toEqual(original[claim])
    expect(payload.iat).toBeGreaterThan(original.iat ?? 0)
    expect(original.nonce).toEqual(expect.any(String))
    expect(payload).not.toHaveProperty('nonce')
  })

  it('F07 ends refresh tokens on sign-out, on user disable, and after the idle time', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const signedOut = await hybridTokens(client)
    await signedOut.browser.fetch(`/end_session?id_token_hint=${signedOut.tokens.id_token}`)
    expect(await errorOf(await refresh(client, signedOut.tokens.refresh_token ?? ''))).toBe(
      'invalid_grant',
    )

    const idle = await hybridTokens(client)
    await env.DB.prepare('UPDATE refresh_tokens SET expires_at = 1 WHERE token_hash = ?1')
      .bind(await sha256(idle.tokens.refresh_token ?? ''))
      .run()
    expect(await errorOf(await refresh(client, idle.tokens.refresh_token ?? ''))).toBe(
      'invalid_grant',
    )
  })

  it('F07 ends refresh tokens when the user is disabled', async () => {
    const email = `refresh-${crypto.randomUUID()}@demo.example`
    const password = 'correct horse battery staple'
    const admin = await adminToken()
    const user = (await (await api(admin, 'POST', '/users', { email, password })).json()) as {
      id: string
    }
    const client = await createHybridClient({ allowRefreshToken: true })
    const response = await new Browser().authorize(
      {
        client_id: client.id,
        redirect_uri: HYBRID_REDIRECT,
        response_type: 'code',
        scope: 'openid offline_access',
        state: 's',
      },
      { email, password },
    )
    const code = new URL(response.headers.get('Location') ?? '').searchParams.get('code') ?? ''
    const redeemed = await backChannel(client, '/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: HYBRID_REDIRECT,
    })
    const tokens = (await redeemed.json()) as TokenSet
    expect(tokens.refresh_token).toEqual(expect.any(String))
    expect((await api(admin, 'PUT', `/users/${user.id}`, { email, enabled: false })).status).toBe(
      200,
    )
    expect(await errorOf(await refresh(client, tokens.refresh_token ?? ''))).toBe('invalid_grant')
  })

  it('D12 refuses the refresh_token grant to clients that are not hybrid', async () => {
    const admin = await adminToken()
    const cc = (await (
      await api(admin, 'POST', '/client-credential-clients', { name: 'svc' })
    ).json()) as {
      id: string
      secret: { value: string }
    }
    const response = await backChannel(cc, '/token', {
      grant_type: 'refresh_token',
      refresh_token: 'x',
    })
    expect(await errorOf(response)).toBe('unauthorized_client')
  })

  it('costs two D1 round trips: client authentication, then the rotation', async () => {
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const first = (await (await refresh(client, tokens.refresh_token ?? '')).json()) as TokenSet
    expect(d1RoundTrips(await refresh(client, first.refresh_token ?? ''))).toBe(2)
  })
})

describe('refresh tokens: scope checks are exact', () => {
  it.each(['%', 'OPENID', 'offline_acces_', 'profile'])(
    'F04 refuses the scope %j with invalid_scope',
    async (scope) => {
      const client = await createHybridClient({ allowRefreshToken: true })
      const { tokens } = await hybridTokens(client, { scope: 'openid profile offline_access' })
      expect(await errorOf(await refresh(client, tokens.refresh_token ?? '', { scope }))).toBe(
        'invalid_scope',
      )
    },
  )

  it('ends refresh tokens when their client is disabled, for good even after it is enabled again', async () => {
    const admin = await adminToken()
    const client = await createHybridClient({ allowRefreshToken: true })
    const { tokens } = await hybridTokens(client)
    const settings = {
      name: 'Server-side web app',
      redirectUris: [HYBRID_REDIRECT],
      allowRefreshToken: true,
    }
    await api(admin, 'PUT', `/hybrid-clients/${client.id}`, { ...settings, enabled: false })
    await api(admin, 'PUT', `/hybrid-clients/${client.id}`, { ...settings, enabled: true })
    expect(await errorOf(await refresh(client, tokens.refresh_token ?? ''))).toBe('invalid_grant')
  })
})
