import { env } from 'cloudflare:workers'
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
} from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../worker/src/crypto/hash'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  exchangeCode,
  pkce,
  responseParams,
  SPA_CLIENT_ID,
  SPA_REDIRECT,
  spaRequest,
} from './helpers/browser'
import {
  backChannel,
  createHybridClient,
  HYBRID_REDIRECT,
  type HybridClient,
  hybridAuthorize,
} from './helpers/hybrid'
import { adminToken, api, basic, d1RoundTrips, seedDemoTenant } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

let signedIn: Browser

beforeAll(async () => {
  await seedDemoTenant()
  signedIn = new Browser()
  const { query } = await spaRequest()
  await signedIn.authorize(query, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
})

/** A fresh code for the signed-in browser, and the verifier that goes with it. */
async function freshCode(overrides: Record<string, string> = {}) {
  const { query, verifier } = await spaRequest(overrides)
  const response = await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)
  return { code: responseParams(response).get('code') ?? '', verifier, query }
}

async function errorOf(response: Response): Promise<string> {
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  return ((await response.json()) as { error: string }).error
}

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetchWorker('/.well-known/jwks.json')).json()) as JSONWebKeySet
}

const userinfo = (token: string) =>
  fetchWorker('/userinfo', { headers: { Authorization: `Bearer ${token}` } })

describe('token endpoint: authorization_code grant (RFC 6749 §4.1.3)', () => {
  it('exchanges a code with PKCE for an access token and an ID token, without a refresh token', async () => {
    const { code, verifier } = await freshCode()
    const response = await exchangeCode(code, verifier)
    expect(response.status).toBe(200)
    const tokens = (await response.json()) as Record<string, unknown>
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email api',
    })
    expect(tokens.access_token).toEqual(expect.any(String))
    expect(tokens.id_token).toEqual(expect.any(String))
    // F01: a public SPA client never gets a refresh token.
    expect(tokens).not.toHaveProperty('refresh_token')
  })

  it('F01 drops offline_access for an SPA client instead of issuing a refresh token', async () => {
    const { code, verifier } = await freshCode({ scope: 'openid offline_access' })
    const tokens = (await (await exchangeCode(code, verifier)).json()) as Record<string, unknown>
    expect(tokens.scope).toBe('openid')
    expect(tokens).not.toHaveProperty('refresh_token')
  })

  it('makes two D1 round trips for the code exchange: client authentication, then the redemption', async () => {
    await exchangeCode((await freshCode()).code, (await freshCode()).verifier)
    const { code, verifier } = await freshCode()
    const response = await exchangeCode(code, verifier)
    expect(response.status).toBe(200)
    expect(d1RoundTrips(response)).toBe(2)
  })

  it('G01 G02 G03 G06 issues an ID token with exact iss, aud, azp, nonce, auth_time, RS256 kid, no profile claims', async () => {
    const { code, verifier, query } = await freshCode()
    const tokens = (await (await exchangeCode(code, verifier)).json()) as { id_token: string }
    const { payload, protectedHeader } = await jwtVerify(
      tokens.id_token,
      createLocalJWKSet(await jwks()),
      {
        issuer: ISSUER,
        audience: SPA_CLIENT_ID,
      },
    )
    expect(protectedHeader.alg).toBe('RS256')
    expect(protectedHeader.kid).toEqual(expect.any(String))
    expect(payload.iss).toBe(ISSUER)
    expect(payload.aud).toBe(SPA_CLIENT_ID)
    expect(payload.azp).toBe(SPA_CLIENT_ID)
    expect(payload.nonce).toBe(query.nonce)
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5)
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000)
    expect(payload.auth_time).toEqual(expect.any(Number))
    expect(String(payload.sub).length).toBeLessThanOrEqual(255)
    expect(payload).not.toHaveProperty('name')
    expect(payload).not.toHaveProperty('email')
  })

  it('issues a user access token for userinfo and the API, with the user as sub', async () => {
    const { code, verifier } = await freshCode()
    const tokens = (await (await exchangeCode(code, verifier)).json()) as {
      access_token: string
      id_token: string
    }
    const claims = decodeJwt(tokens.access_token)
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt')
    expect(claims.sub).toBe(decodeJwt(tokens.id_token).sub)
    expect(claims.client_id).toBe(SPA_CLIENT_ID)
    expect(claims.aud).toEqual([`${ISSUER}/userinfo`, `${ISSUER}/api`])
    expect(claims.roles).toEqual(['account-administrator', 'account-member'])
  })

  it('C06 C07 issues a 256-bit code and stores only its hash', async () => {
    const { code } = await freshCode()
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const rows = await env.DB.prepare('SELECT * FROM authorization_codes').all()
    expect(JSON.stringify(rows.results)).not.toContain(code)
    const stored = await env.DB.prepare('SELECT 1 FROM authorization_codes WHERE code_hash = ?1')
      .bind(await sha256(code))
      .first()
    expect(stored).not.toBeNull()
  })

  it('C01 refuses a code redeemed twice and revokes what the first redemption issued', async () => {
    const { code, verifier } = await freshCode()
    const first = (await (await exchangeCode(code, verifier)).json()) as { access_token: string }
    expect((await userinfo(first.access_token)).status).toBe(200)
    const second = await exchangeCode(code, verifier)
    expect(second.status).toBe(400)
    expect(await errorOf(second)).toBe('invalid_grant')
    expect((await userinfo(first.access_token)).status).toBe(401)
  })

  it('C02 gives exactly one success to 50 concurrent redemptions of one code', async () => {
    const { code, verifier } = await freshCode()
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => exchangeCode(code, verifier)),
    )
    expect(responses.filter((r) => r.status === 200).length).toBe(1)
    expect(responses.filter((r) => r.status === 400).length).toBe(49)
  })

  it('C03 refuses a code presented after its lifetime', async () => {
    const { code, verifier } = await freshCode()
    await env.DB.prepare('UPDATE authorization_codes SET expires_at = 0 WHERE code_hash = ?1')
      .bind(await sha256(code))
      .run()
    expect(await errorOf(await exchangeCode(code, verifier))).toBe('invalid_grant')
  })

  it('C04 refuses a code redeemed by another client', async () => {
    const admin = await adminToken()
    const other = (await (
      await api(admin, 'POST', '/authorization-code-clients', {
        name: 'Other SPA',
        redirectUris: [SPA_REDIRECT],
      })
    ).json()) as { id: string }
    const { code, verifier } = await freshCode()
    expect(await errorOf(await exchangeCode(code, verifier, { client_id: other.id }))).toBe(
      'invalid_grant',
    )
  })

  it('C05 refuses a different redirect_uri, or none when the request had one', async () => {
    const a = await freshCode()
    expect(
      await errorOf(await exchangeCode(a.code, a.verifier, { redirect_uri: `${SPA_REDIRECT}/` })),
    ).toBe('invalid_grant')
    const b = await freshCode()
    const withoutRedirect = await fetchWorker('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: b.code,
        client_id: SPA_CLIENT_ID,
        code_verifier: b.verifier,
      }).toString(),
    })
    expect(await errorOf(withoutRedirect)).toBe('invalid_grant')
  })

  it('B04 refuses a wrong code_verifier, or none when a challenge was sent', async () => {
    const a = await freshCode()
    expect(await errorOf(await exchangeCode(a.code, (await pkce()).verifier))).toBe('invalid_grant')
    const b = await freshCode()
    expect(await errorOf(await exchangeCode(b.code, undefined))).toBe('invalid_grant')
  })

  it.each(['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}!`, `${'a'.repeat(42)} `])(
    'B05 refuses the malformed code_verifier %j',
    async (verifier) => {
      const { code } = await freshCode()
      expect(['invalid_grant', 'invalid_request']).toContain(
        await errorOf(await exchangeCode(code, verifier)),
      )
    },
  )

  it('answers a repeated parameter or a missing code with invalid_request', async () => {
    const { code, verifier } = await freshCode()
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: SPA_CLIENT_ID,
      code_verifier: verifier,
      redirect_uri: SPA_REDIRECT,
    })
    body.append('code', code)
    const repeated = await fetchWorker('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    })
    expect(await errorOf(repeated)).toBe('invalid_request')
    expect(await errorOf(await exchangeCode('', verifier))).toBe('invalid_request')
  })
})

describe('token endpoint: hybrid clients and PKCE (RFC 7636)', () => {
  async function hybridCode(clientId: string, extra: Record<string, string> = {}) {
    const { params } = await hybridAuthorize(
      { id: clientId, secret: { value: '' } },
      { scope: 'openid', ...extra },
      signedIn,
    )
    return params.get('code') ?? ''
  }

  const redeem = (client: HybridClient, code: string, extra: Record<string, string> = {}) =>
    backChannel(client, '/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: HYBRID_REDIRECT,
      ...extra,
    })

  it('B08 accepts a valid PKCE pair from a confidential hybrid client', async () => {
    const client = await createHybridClient()
    const { verifier, challenge } = await pkce()
    const code = await hybridCode(client.id, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    expect((await redeem(client, code, { code_verifier: verifier })).status).toBe(200)
  })

  it('B06 refuses a code_verifier for a code issued without code_challenge (PKCE downgrade)', async () => {
    const client = await createHybridClient()
    const code = await hybridCode(client.id)
    expect(
      await errorOf(await redeem(client, code, { code_verifier: (await pkce()).verifier })),
    ).toBe('invalid_grant')
  })

  it('authenticates a hybrid client before touching its code: a wrong secret cannot burn it', async () => {
    const client = await createHybridClient()
    const code = await hybridCode(client.id)
    const wrong = await redeem({ ...client, secret: { value: 'wrong' } }, code)
    expect(wrong.status).toBe(401)
    expect(await errorOf(wrong)).toBe('invalid_client')
    expect((await redeem(client, code)).status).toBe(200)
  })

  it('refuses a hybrid code redeemed without the client secret (public authentication)', async () => {
    const client = await createHybridClient()
    const code = await hybridCode(client.id)
    const response = await exchangeCode(code, undefined, {
      client_id: client.id,
      redirect_uri: HYBRID_REDIRECT,
    })
    expect(await errorOf(response)).toBe('invalid_client')
  })
})

describe('token endpoint: CORS for browser clients', () => {
  it("lets the SPA's origin read token responses, errors included, and no other origin", async () => {
    const spa = { Origin: 'http://localhost:5173' }
    const { code, verifier } = await freshCode()
    const ok = await exchangeCode(code, verifier, {}, spa)
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173')
    const error = await exchangeCode(code, verifier, {}, spa)
    expect(error.status).toBe(400)
    expect(error.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173')
    const other = await freshCode()
    const foreign = await exchangeCode(
      other.code,
      other.verifier,
      {},
      { Origin: 'https://evil.example' },
    )
    expect(foreign.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('answers preflights for origins some client accepts, and only those', async () => {
    const preflight = (origin: string) =>
      fetchWorker('/userinfo', {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization',
        },
      })
    const allowed = await preflight('http://localhost:5173')
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173')
    expect(allowed.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/)
    expect(
      (await preflight('https://evil.example')).headers.get('Access-Control-Allow-Origin'),
    ).toBeNull()
  })
})

describe('token endpoint: redirect_uri when the authorization request named none', () => {
  it('accepts the registered URI, or none, at the token endpoint (RFC 6749 §4.1.3)', async () => {
    const admin = await adminToken()
    const client = (await (
      await api(admin, 'POST', '/hybrid-clients', {
        name: 'One redirect',
        redirectUris: ['https://one.example/cb'],
      })
    ).json()) as { id: string; secret: { value: string } }
    for (const redirectUri of ['https://one.example/cb', undefined]) {
      const query = { client_id: client.id, response_type: 'code', scope: 'openid', state: 's' }
      const code =
        responseParams(await signedIn.fetch(`/authorize?${new URLSearchParams(query)}`)).get(
          'code',
        ) ?? ''
      const response = await fetchWorker('/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: basic(client.id, client.secret.value),
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          ...(redirectUri && { redirect_uri: redirectUri }),
        }).toString(),
      })
      expect(response.status, redirectUri).toBe(200)
    }
  })
})

describe('token endpoint: a confidential client authenticates before its code is touched (RFC 6749 §4.1.3)', () => {
  let counter = 0
  /** A fresh address per request, so the platform's per-address limiter stays out of the way. */
  const address = () => ({ 'CF-Connecting-IP': `198.18.1.${++counter}` })

  async function hybridCodeFor(client: HybridClient) {
    const { params } = await hybridAuthorize(client, { scope: 'openid' }, signedIn)
    return params.get('code') ?? ''
  }

  /** Every way to present a hybrid client's code without being that client. */
  async function attempts(client: HybridClient, code: string): Promise<Response[]> {
    const other = await createHybridClient()
    const form = { grant_type: 'authorization_code', code, redirect_uri: HYBRID_REDIRECT }
    const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      fetchWorker('/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...address(),
          ...headers,
        },
        body: new URLSearchParams({ ...form, ...body }).toString(),
      })
    return [
      // No secret: the hybrid client's id alone, as a public client would send it.
      await post({ client_id: client.id }),
      await post({}, { Authorization: basic(client.id, 'wrong-secret') }),
      await post({ client_id: client.id, client_secret: 'wrong-secret' }),
      await post({ client_id: crypto.randomUUID() }),
      // Another client: a public one by its id, a confidential one with its own right secret.
      await post({ client_id: SPA_CLIENT_ID }),
      await post({}, { Authorization: basic(other.id, other.secret.value) }),
    ]
  }

  async function expectRefused(responses: Response[]) {
    for (const response of responses) {
      expect([400, 401]).toContain(response.status)
      expect(['invalid_client', 'invalid_grant']).toContain(await errorOf(response))
    }
  }

  it('N01 leaves the code redeemable after requests without the client secret, with a wrong one, or by another client', async () => {
    const client = await createHybridClient()
    const code = await hybridCodeFor(client)
    await expectRefused(await attempts(client, code))
    const redeemed = await backChannel(client, '/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: HYBRID_REDIRECT,
    })
    expect(redeemed.status).toBe(200)
  })

  it('N01 revokes nothing when a redeemed code is presented again without the client secret or by another client', async () => {
    const client = await createHybridClient()
    const code = await hybridCodeFor(client)
    const redeemed = await backChannel(client, '/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: HYBRID_REDIRECT,
    })
    const tokens = (await redeemed.json()) as { access_token: string }
    await expectRefused(await attempts(client, code))
    expect((await userinfo(tokens.access_token)).status).toBe(200)
  })

  it('N01 leaves a public client code redeemable after a request with a wrong code_verifier or redirect_uri', async () => {
    const { code, verifier } = await freshCode()
    expect(await errorOf(await exchangeCode(code, (await pkce()).verifier))).toBe('invalid_grant')
    expect(
      await errorOf(await exchangeCode(code, verifier, { redirect_uri: `${SPA_REDIRECT}/x` })),
    ).toBe('invalid_grant')
    expect((await exchangeCode(code, verifier)).status).toBe(200)
  })

  it('C01 N01 still revokes the grant when the code is replayed by its own authenticated client', async () => {
    const client = await createHybridClient()
    const code = await hybridCodeFor(client)
    const form = { grant_type: 'authorization_code', code, redirect_uri: HYBRID_REDIRECT }
    const tokens = (await (await backChannel(client, '/token', form)).json()) as {
      access_token: string
    }
    expect((await userinfo(tokens.access_token)).status).toBe(200)
    expect(await errorOf(await backChannel(client, '/token', form))).toBe('invalid_grant')
    expect((await userinfo(tokens.access_token)).status).toBe(401)
  })

  it('N08 does not count a client_secret sent for a public client towards a lockout of its address', async () => {
    const nat = { 'CF-Connecting-IP': '198.18.2.1' }
    for (let i = 0; i < 25; i++) {
      const { code, verifier } = await freshCode()
      const response = await exchangeCode(code, verifier, { client_secret: `guess-${i}` }, nat)
      expect(response.status).toBe(401)
      expect(await errorOf(response)).toBe('invalid_client')
    }
    const { code, verifier } = await freshCode()
    expect((await exchangeCode(code, verifier, {}, nat)).status).toBe(200)
    // 26 sign-ins and exchanges: more than the default 5 s on a loaded 2-core machine.
  }, 30_000)
})
