import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { purgeExpired } from '../../worker/src/storage/purge'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  exchangeCode,
  responseParams,
  spaRequest,
} from './helpers/browser'
import { type DpopKey, dpopKey, dpopProof } from './helpers/dpop'
import {
  createHybridClient,
  HYBRID_REDIRECT,
  type HybridClient,
  hybridAuthorize,
} from './helpers/hybrid'
import {
  ADMIN_CLIENT_ID,
  ADMIN_CLIENT_SECRET,
  adminToken,
  api,
  basic,
  d1RoundTrips,
  seedDemoTenant,
  TENANT_ID,
  tokenRequest,
} from './helpers/tenant'
import { fetchWorker, ISSUER, testApp, testConfig, testDb } from './helpers/worker'

const ADMIN = basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET)
const API_PATH = `/api/v1/tenants/${TENANT_ID}/roles`
const ALGS = 'algs="ES256 EdDSA RS256 PS256"'
const API_METADATA = `resource_metadata="${ISSUER}/.well-known/oauth-protected-resource/api/v1"`

interface TokenAnswer {
  access_token: string
  token_type: string
  refresh_token?: string
  scope: string
}

/** A token request with a DPoP proof of `key` (a fresh one unless `proof` is given). */
async function dpopTokenRequest(
  key: DpopKey | undefined,
  form: Record<string, string>,
  authorization: string,
  proof?: string,
) {
  const header = proof ?? (key === undefined ? undefined : await dpopProof(key))
  return tokenRequest(form, {
    Authorization: authorization,
    ...(header !== undefined && { DPoP: header }),
  })
}

async function boundAdminToken(key: DpopKey): Promise<TokenAnswer> {
  const response = await dpopTokenRequest(key, { grant_type: 'client_credentials' }, ADMIN)
  expect(response.status, await response.clone().text()).toBe(200)
  return (await response.json()) as TokenAnswer
}

/** GET on the management API with a DPoP-bound token and a proof for it. */
async function apiWithDpop(token: string, key: DpopKey, proofOptions = {}) {
  const proof = await dpopProof(key, {
    htm: 'GET',
    htu: `${ISSUER}${API_PATH}`,
    accessToken: token,
    ...proofOptions,
  })
  return fetchWorker(API_PATH, { headers: { Authorization: `DPoP ${token}`, DPoP: proof } })
}

async function expectTokenError(response: Response, error: string) {
  expect(response.status).toBe(400)
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  expect(((await response.json()) as { error: string }).error).toBe(error)
}

beforeAll(seedDemoTenant)

describe('DPoP at the token endpoint (RFC 9449 §5)', () => {
  it('binds a client credentials token to the proof key: token_type DPoP, cnf.jkt (RFC 9449 §5, §6.1)', async () => {
    const key = await dpopKey()
    const answer = await boundAdminToken(key)
    expect(answer.token_type).toBe('DPoP')
    expect(decodeJwt(answer.access_token).cnf).toEqual({ jkt: key.jkt })
  })

  it('issues an unbound Bearer token without a proof, as before', async () => {
    const response = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: ADMIN },
    )
    const answer = (await response.json()) as TokenAnswer
    expect(answer.token_type).toBe('Bearer')
    expect(decodeJwt(answer.access_token).cnf).toBeUndefined()
  })

  it('answers invalid_dpop_proof (400, JSON, no-store) to a bad proof and issues nothing (RFC 9449 §5)', async () => {
    const key = await dpopKey()
    for (const proof of ['garbage', await dpopProof(key, { htu: `${ISSUER}/userinfo` })]) {
      await expectTokenError(
        await dpopTokenRequest(key, { grant_type: 'client_credentials' }, ADMIN, proof),
        'invalid_dpop_proof',
      )
    }
  })

  it('M01 refuses a proof replayed at the token endpoint (RFC 9449 §11.1)', async () => {
    const key = await dpopKey()
    const proof = await dpopProof(key)
    const form = { grant_type: 'client_credentials' }
    expect((await dpopTokenRequest(key, form, ADMIN, proof)).status).toBe(200)
    await expectTokenError(await dpopTokenRequest(key, form, ADMIN, proof), 'invalid_dpop_proof')
  })

  it('refuses a client with requireDpop a token without a proof, and binds the one with a proof', async () => {
    const admin = await adminToken()
    const created = await api(admin, 'POST', '/client-credential-clients', {
      name: 'DPoP-only service',
      requireDpop: true,
    })
    expect(created.status).toBe(201)
    const client = (await created.json()) as HybridClient & { requireDpop: boolean }
    expect(client.requireDpop).toBe(true)
    const auth = basic(client.id, client.secret.value)
    const form = { grant_type: 'client_credentials' }
    await expectTokenError(await dpopTokenRequest(undefined, form, auth), 'invalid_dpop_proof')
    const key = await dpopKey()
    const answer = (await (await dpopTokenRequest(key, form, auth)).json()) as TokenAnswer
    expect(answer.token_type).toBe('DPoP')
    const audit = await testDb().first<{ details: string }>(
      `SELECT details FROM audit_events WHERE action = 'client.created' AND target_id = ?1`,
      client.id,
    )
    expect(JSON.parse(audit?.details ?? '{}')).toMatchObject({ requireDpop: true })
  })

  it('asks for a server nonce when configured, then accepts the proof that carries it (RFC 9449 §8)', async () => {
    const app = testApp(testConfig({ DPOP_REQUIRE_NONCE: 'true' }))
    const key = await dpopKey()
    const send = async (nonce?: string) =>
      app.request('/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: ADMIN,
          DPoP: await dpopProof(key, nonce === undefined ? {} : { nonce }),
        },
        body: 'grant_type=client_credentials',
      })
    const first = await send()
    const nonce = first.headers.get('DPoP-Nonce') ?? ''
    await expectTokenError(first, 'use_dpop_nonce')
    expect(nonce).not.toBe('')
    const second = await send(nonce)
    expect(second.status).toBe(200)
    expect(second.headers.get('DPoP-Nonce')).not.toBeNull()
    expect(((await second.json()) as TokenAnswer).token_type).toBe('DPoP')
  })

  it('costs one D1 round trip more than a Bearer token request: the jti insert', async () => {
    const key = await dpopKey()
    await boundAdminToken(key)
    const bearer = await tokenRequest(
      { grant_type: 'client_credentials' },
      { Authorization: ADMIN },
    )
    const bound = await dpopTokenRequest(key, { grant_type: 'client_credentials' }, ADMIN)
    expect(d1RoundTrips(bound)).toBe(d1RoundTrips(bearer) + 1)
  })

  it('introspection answers token_type DPoP and cnf.jkt for a bound token (RFC 9449 §6.2)', async () => {
    const key = await dpopKey()
    const { access_token } = await boundAdminToken(key)
    const response = await tokenIntrospection(access_token)
    expect(response).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: key.jkt } })
  })
})

function tokenIntrospection(token: string) {
  return fetchWorker('/introspect', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: ADMIN },
    body: new URLSearchParams({ token }).toString(),
  }).then((response) => response.json() as Promise<Record<string, unknown>>)
}

describe('DPoP at the resources of this server (RFC 9449 §7)', () => {
  it('accepts a bound token at the management API as DPoP with a proof carrying ath (RFC 9449 §7.1)', async () => {
    const key = await dpopKey()
    const { access_token } = await boundAdminToken(key)
    expect((await apiWithDpop(access_token, key)).status).toBe(200)
  })

  it('refuses a bound token presented as Bearer with invalid_token and a DPoP challenge (RFC 9449 §7.1)', async () => {
    const key = await dpopKey()
    const { access_token } = await boundAdminToken(key)
    const response = await fetchWorker(API_PATH, {
      headers: { Authorization: `Bearer ${access_token}` },
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      `DPoP realm="api", ${ALGS}, error="invalid_token", ${API_METADATA}`,
    )
  })

  it('refuses a bound token without a proof, with a proof of another key, or a replayed proof (RFC 9449 §4.3 item 12, §7.1)', async () => {
    const key = await dpopKey()
    const { access_token } = await boundAdminToken(key)
    const noProof = await fetchWorker(API_PATH, {
      headers: { Authorization: `DPoP ${access_token}` },
    })
    expect(noProof.status).toBe(401)
    expect(noProof.headers.get('WWW-Authenticate')).toContain('error="invalid_dpop_proof"')
    const other = await dpopKey()
    const otherKey = await apiWithDpop(access_token, { ...other, jkt: key.jkt })
    expect(otherKey.status).toBe(401)
    expect(otherKey.headers.get('WWW-Authenticate')).toContain('error="invalid_dpop_proof"')
    const proof = await dpopProof(key, {
      htm: 'GET',
      htu: `${ISSUER}${API_PATH}`,
      accessToken: access_token,
    })
    const init = { headers: { Authorization: `DPoP ${access_token}`, DPoP: proof } }
    expect((await fetchWorker(API_PATH, init)).status).toBe(200)
    const replayed = await fetchWorker(API_PATH, init)
    expect(replayed.status).toBe(401)
    expect(replayed.headers.get('WWW-Authenticate')).toContain('error="invalid_dpop_proof"')
  })

  it('answers a stale nonce at a resource with use_dpop_nonce, a fresh DPoP-Nonce and a DPoP challenge (RFC 9449 §9)', async () => {
    const key = await dpopKey()
    const { access_token } = await boundAdminToken(key)
    const response = await apiWithDpop(access_token, key, { nonce: 'stale-or-forged' })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toBe(
      `DPoP realm="api", ${ALGS}, error="use_dpop_nonce", ${API_METADATA}`,
    )
    const nonce = response.headers.get('DPoP-Nonce') ?? ''
    expect(nonce).not.toBe('')
    expect((await apiWithDpop(access_token, key, { nonce })).status).toBe(200)
  })

  it('accepts a proof whose htu leaves out the query of the resource URL (RFC 9449 §4.3 item 9)', async () => {
    const key = await dpopKey()
    const { access_token } = await boundAdminToken(key)
    const proof = await dpopProof(key, {
      htm: 'GET',
      htu: `${ISSUER}${API_PATH}`,
      accessToken: access_token,
    })
    const response = await fetchWorker(`${API_PATH}?count=1`, {
      headers: { Authorization: `DPoP ${access_token}`, DPoP: proof },
    })
    expect(response.status).toBe(200)
  })

  it('lets a browser send the DPoP header to the management API and read DPoP-Nonce (CORS)', async () => {
    const preflight = await fetchWorker(API_PATH, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://portal.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization, dpop',
      },
    })
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/\bDPoP\b/)
    const key = await dpopKey()
    const { access_token } = await boundAdminToken(key)
    const response = await apiWithDpop(access_token, key)
    expect(response.status).toBe(200)
    const exposed = await fetchWorker(API_PATH, {
      headers: { Origin: 'https://portal.example', Authorization: `DPoP ${access_token}` },
    })
    expect(exposed.headers.get('Access-Control-Expose-Headers')).toMatch(/DPoP-Nonce/)
  })

  it('refuses an unbound token presented as DPoP, and keeps the Bearer challenge for unbound tokens', async () => {
    const token = await adminToken()
    const key = await dpopKey()
    const asDpop = await apiWithDpop(token, key)
    expect(asDpop.status).toBe(401)
    expect(asDpop.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
    const bad = await fetchWorker(API_PATH, { headers: { Authorization: 'Bearer nope' } })
    expect(bad.headers.get('WWW-Authenticate')).toBe(
      `Bearer realm="api", error="invalid_token", ${API_METADATA}`,
    )
  })
})

/** A hybrid client with refresh tokens, signed in: the form that redeems its code. */
async function signedInCode(query: Record<string, string> = {}) {
  const client = await createHybridClient({ allowRefreshToken: true })
  const { params } = await hybridAuthorize(client, query, new Browser())
  const form = {
    grant_type: 'authorization_code',
    code: params.get('code') ?? '',
    redirect_uri: HYBRID_REDIRECT,
  }
  return { client, form, auth: basic(client.id, client.secret.value) }
}

describe('DPoP for user grants: code, dpop_jkt and refresh (RFC 9449 §5, §10)', () => {
  it('binds the user access token and the grant; userinfo accepts DPoP and refuses it as Bearer (RFC 9449 §7.1)', async () => {
    const key = await dpopKey()
    const { form, auth } = await signedInCode()
    const answer = (await (await dpopTokenRequest(key, form, auth)).json()) as TokenAnswer
    expect(answer.token_type).toBe('DPoP')
    expect(decodeJwt(answer.access_token).cnf).toEqual({ jkt: key.jkt })
    const proof = await dpopProof(key, {
      htm: 'GET',
      htu: `${ISSUER}/userinfo`,
      accessToken: answer.access_token,
    })
    const ok = await fetchWorker('/userinfo', {
      headers: { Authorization: `DPoP ${answer.access_token}`, DPoP: proof },
    })
    expect(ok.status).toBe(200)
    const asBearer = await fetchWorker('/userinfo', {
      headers: { Authorization: `Bearer ${answer.access_token}` },
    })
    expect(asBearer.status).toBe(401)
    expect(asBearer.headers.get('WWW-Authenticate')).toBe(
      `DPoP realm="userinfo", ${ALGS}, error="invalid_token"`,
    )
    const inBody = await fetchWorker('/userinfo', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: answer.access_token }).toString(),
    })
    expect(inBody.status).toBe(401)
  })

  it('redeems a code bound by dpop_jkt only with a proof of that key; other attempts consume nothing (RFC 9449 §10)', async () => {
    const key = await dpopKey()
    const other = await dpopKey()
    const { form, auth } = await signedInCode({ dpop_jkt: key.jkt })
    await expectTokenError(await dpopTokenRequest(undefined, form, auth), 'invalid_dpop_proof')
    await expectTokenError(await dpopTokenRequest(other, form, auth), 'invalid_dpop_proof')
    const answer = await dpopTokenRequest(key, form, auth)
    expect(answer.status).toBe(200)
    expect(((await answer.json()) as TokenAnswer).token_type).toBe('DPoP')
  })

  it("binds a public SPA client's token with a proof, and lets its origin read DPoP-Nonce (RFC 9449 §5)", async () => {
    const key = await dpopKey()
    const { query, verifier } = await spaRequest({ dpop_jkt: key.jkt })
    const params = responseParams(
      await new Browser().authorize(query, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    )
    const response = await exchangeCode(
      params.get('code') ?? '',
      verifier,
      {},
      { DPoP: await dpopProof(key), Origin: 'http://localhost:5173' },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('Access-Control-Expose-Headers')).toMatch(/DPoP-Nonce/)
    const answer = (await response.json()) as TokenAnswer
    expect(answer.token_type).toBe('DPoP')
    expect(answer.refresh_token).toBeUndefined()
    expect(decodeJwt(answer.access_token).cnf).toEqual({ jkt: key.jkt })
  })

  it('refuses a requireDpop hybrid client its code without a proof, leaving the code redeemable', async () => {
    const client = await createHybridClient({ allowRefreshToken: true, requireDpop: true })
    const { params } = await hybridAuthorize(client, {}, new Browser())
    const form = {
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: HYBRID_REDIRECT,
    }
    const auth = basic(client.id, client.secret.value)
    await expectTokenError(await dpopTokenRequest(undefined, form, auth), 'invalid_dpop_proof')
    const key = await dpopKey()
    const answer = (await (await dpopTokenRequest(key, form, auth)).json()) as TokenAnswer
    expect(answer.token_type).toBe('DPoP')
    const refreshForm = { grant_type: 'refresh_token', refresh_token: answer.refresh_token ?? '' }
    await expectTokenError(
      await dpopTokenRequest(undefined, refreshForm, auth),
      'invalid_dpop_proof',
    )
  })

  it('M01 answers exactly one of concurrent token requests that carry the same proof (RFC 9449 §11.1)', async () => {
    const key = await dpopKey()
    const proof = await dpopProof(key)
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        dpopTokenRequest(key, { grant_type: 'client_credentials' }, ADMIN, proof),
      ),
    )
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1)
  })

  it('refuses a malformed dpop_jkt at /authorize with invalid_request at the redirect URI (RFC 9449 §10)', async () => {
    const client = await createHybridClient()
    const { params } = await hybridAuthorize(client, { dpop_jkt: 'not-a-thumbprint' })
    expect(params.get('error')).toBe('invalid_request')
  })

  it('refreshes a bound grant only with a proof of its key; without one nothing is consumed (RFC 9449 §5)', async () => {
    const key = await dpopKey()
    const { form, auth } = await signedInCode()
    const first = (await (await dpopTokenRequest(key, form, auth)).json()) as TokenAnswer
    const refreshForm = { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }
    await expectTokenError(
      await dpopTokenRequest(undefined, refreshForm, auth),
      'invalid_dpop_proof',
    )
    await expectTokenError(
      await dpopTokenRequest(await dpopKey(), refreshForm, auth),
      'invalid_dpop_proof',
    )
    const introspected = await fetchWorker('/introspect', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: auth },
      body: new URLSearchParams({ token: first.refresh_token ?? '' }).toString(),
    })
    expect(await introspected.json()).toMatchObject({ active: true, cnf: { jkt: key.jkt } })
    const refreshed = await dpopTokenRequest(key, refreshForm, auth)
    expect(refreshed.status).toBe(200)
    const answer = (await refreshed.json()) as TokenAnswer
    expect(answer.token_type).toBe('DPoP')
    expect(decodeJwt(answer.access_token).cnf).toEqual({ jkt: key.jkt })
  })

  it('binds the access token of a DPoP refresh of an unbound grant, and leaves the grant unbound (RFC 9449 §5)', async () => {
    const { form, auth } = await signedInCode()
    const first = (await (await dpopTokenRequest(undefined, form, auth)).json()) as TokenAnswer
    expect(first.token_type).toBe('Bearer')
    const key = await dpopKey()
    const refreshForm = { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' }
    const answer = (await (await dpopTokenRequest(key, refreshForm, auth)).json()) as TokenAnswer
    expect(answer.token_type).toBe('DPoP')
    expect(decodeJwt(answer.access_token).cnf).toEqual({ jkt: key.jkt })
    const next = { grant_type: 'refresh_token', refresh_token: answer.refresh_token ?? '' }
    const unbound = (await (await dpopTokenRequest(undefined, next, auth)).json()) as TokenAnswer
    expect(unbound.token_type).toBe('Bearer')
  })
})

describe('DPoP metadata and housekeeping', () => {
  it('advertises dpop_signing_alg_values_supported in discovery (RFC 9449 §5.1)', async () => {
    const metadata = (await (await fetchWorker('/.well-known/openid-configuration')).json()) as {
      dpop_signing_alg_values_supported: string[]
    }
    expect(metadata.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA', 'RS256', 'PS256'])
  })

  it('purges proof jtis once they expire, and keeps the ones still in their window', async () => {
    const now = Math.floor(Date.now() / 1000)
    await env.DB.batch([
      env.DB.prepare('INSERT INTO dpop_proofs (jkt, jti, expires_at) VALUES (?1, ?2, ?3)').bind(
        'purge-test',
        'old',
        now - 1,
      ),
      env.DB.prepare('INSERT INTO dpop_proofs (jkt, jti, expires_at) VALUES (?1, ?2, ?3)').bind(
        'purge-test',
        'live',
        now + 60,
      ),
    ])
    await purgeExpired(testDb(), now)
    const left = await env.DB.prepare("SELECT jti FROM dpop_proofs WHERE jkt = 'purge-test'").all()
    expect(left.results).toEqual([{ jti: 'live' }])
  })
})
