// The flows the bench measures and how each system is asked for them. Every system answers the
// same requests byte for byte where the protocol allows (same grant, same client authentication,
// same PKCE, same token algorithms); what differs is named here (paths, client ids).
//
// Single-use credentials (authorization codes, refresh tokens) are made before the measured
// phase and each is used once: codes through each system's real authorization endpoint (ours:
// sign in once, then /authorize with the session cookie; the peer: one finished interaction,
// then /auth with its session cookie; the floor: its minimal /authorize), refresh tokens from the
// measured code exchanges of the same round.
import { randomUUID } from 'node:crypto'
import { Agent, pkce, prepareSetup, Recorder } from '../../../scripts/lib/soak-traffic.mjs'

export const WEB_REDIRECT = 'https://web.example.com/signin-oidc'
const COLLECTORS = 8

const basic = (id, secret) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

const form = (fields) => new URLSearchParams(fields).toString()
const FORM = 'application/x-www-form-urlencoded'

/**
 * The workloads, in the order they run within a round. `systems`: which system plays ours,
 * the floor and the peer (undefined: not applicable, `why` says why).
 */
export const WORKLOADS = [
  {
    name: 'client_credentials',
    token: true,
    systems: { ours: 'ours', floor: 'floor', peer: 'peer' },
  },
  {
    name: 'client_credentials cached',
    token: true,
    systems: { ours: 'ours-cache', floor: 'floor-cache', peer: 'peer' },
  },
  {
    name: 'authorization_code+PKCE',
    token: true,
    pooled: 'codes',
    systems: { ours: 'ours', floor: 'floor', peer: 'peer' },
  },
  {
    name: 'refresh_token rotation',
    token: true,
    pooled: 'refreshTokens',
    systems: { ours: 'ours', floor: 'floor', peer: 'peer' },
  },
  { name: 'userinfo', systems: { ours: 'ours', floor: 'floor', peer: 'peer' } },
  { name: 'jwks', systems: { ours: 'ours', floor: 'floor', peer: 'peer' } },
  { name: 'discovery', systems: { ours: 'ours', floor: 'floor', peer: 'peer' } },
  {
    name: 'management read',
    systems: { ours: 'ours', floor: 'floor' },
    why: 'node-oidc-provider has no management API (clients are configuration or its adapter)',
  },
]

/** A cookie jar that ignores paths and domains: each system is one origin here. */
class Jar {
  cookies = new Map()
  keep(response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const at = pair.indexOf('=')
      const value = pair.slice(at + 1)
      if (value === '') this.cookies.delete(pair.slice(0, at).trim())
      else this.cookies.set(pair.slice(0, at).trim(), value)
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

async function expectJson(response, what) {
  const text = await response.text()
  if (!response.ok) throw new Error(`${what}: ${response.status} ${text.slice(0, 300)}`)
  return JSON.parse(text)
}

/** Runs `make` `count` times, `COLLECTORS` at a time; answers the results in order. */
async function collect(count, make) {
  const results = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: COLLECTORS }, async (_, worker) => {
      while (next < count) {
        const i = next++
        results[i] = await make(worker)
      }
    }),
  )
  return results
}

const codeFrom = (response, base) => {
  const location = response.headers.get('location') ?? ''
  const code = new URL(location, base).searchParams.get('code')
  if (code === null) throw new Error(`no code in ${response.status} Location ${location}`)
  return code
}

/**
 * Per kind of system: `prepare(base)` once after start (clients, sessions, tokens), then the
 * requests of each workload. A request is { method, path, headers, body } or, for pooled
 * workloads, `bodies` built from the pool.
 */
export function adapters(vars) {
  const ccBasic = basic(vars.DEMO_ADMIN_CLIENT_ID, vars.DEMO_ADMIN_CLIENT_SECRET)
  const clientCredentials = {
    method: 'POST',
    path: '/token',
    headers: { authorization: ccBasic, 'content-type': FORM },
    body: 'grant_type=client_credentials&scope=api',
  }
  const exchange = (_ctx, { code, verifier }) =>
    form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: WEB_REDIRECT,
      code_verifier: verifier,
    })
  const refresh = (token) => form({ grant_type: 'refresh_token', refresh_token: token })
  const tokenPost = (ctx) => ({
    method: 'POST',
    path: '/token',
    headers: { authorization: ctx.webBasic, 'content-type': FORM },
  })
  const get = (path, authorization) => ({
    method: 'GET',
    path,
    headers: authorization === undefined ? {} : { authorization },
  })

  const ours = {
    async prepare(base) {
      const setup = await prepareSetup(base.replace(/\/$/, ''), vars)
      const recorder = new Recorder()
      const agents = Array.from({ length: COLLECTORS }, () => new Agent(setup, recorder))
      return {
        base,
        setup,
        agents,
        recorder,
        webBasic: setup.hybridBasic,
        adminToken: setup.adminToken,
      }
    },
    async codes(ctx, count) {
      return collect(count, async (worker) => {
        const { verifier, challenge } = pkce()
        const code = await ctx.agents[worker].authorize(
          new URLSearchParams({
            client_id: ctx.setup.hybridClientId,
            redirect_uri: WEB_REDIRECT,
            response_type: 'code',
            scope: 'openid profile email offline_access',
            state: randomUUID(),
            nonce: randomUUID(),
            code_challenge: challenge,
            code_challenge_method: 'S256',
          }),
        )
        if (code === undefined) {
          throw new Error(`ours /authorize: ${JSON.stringify([...ctx.recorder.errors])}`)
        }
        return { code, verifier }
      })
    },
    requests: {
      client_credentials: () => clientCredentials,
      'client_credentials cached': () => clientCredentials,
      'authorization_code+PKCE': tokenPost,
      'refresh_token rotation': tokenPost,
      userinfo: (ctx) => get('/userinfo', `Bearer ${ctx.userToken}`),
      jwks: () => get('/.well-known/jwks.json'),
      discovery: () => get('/.well-known/openid-configuration'),
      'management read': (ctx) =>
        get(
          `/api/v1/tenants/${vars.DEMO_TENANT_ID}/client-credential-clients?count=20`,
          `Bearer ${ctx.adminToken}`,
        ),
    },
    exchange,
    refresh,
  }

  const floor = {
    async prepare(base) {
      const token = await expectJson(
        await fetch(new URL('/token', base), clientCredentials),
        'floor token',
      )
      return { base, webBasic: ccBasic, adminToken: token.access_token }
    },
    async codes(ctx, count) {
      return collect(count, async () => {
        const { verifier, challenge } = pkce()
        const query = new URLSearchParams({
          client_id: vars.DEMO_ADMIN_CLIENT_ID,
          redirect_uri: WEB_REDIRECT,
          response_type: 'code',
          scope: 'openid profile email offline_access',
          state: randomUUID(),
          nonce: randomUUID(),
          code_challenge: challenge,
          code_challenge_method: 'S256',
          login_hint: vars.DEMO_ADMIN_EMAIL,
        })
        const response = await fetch(new URL(`/authorize?${query}`, ctx.base), {
          redirect: 'manual',
        })
        await response.arrayBuffer()
        return { code: codeFrom(response, ctx.base), verifier }
      })
    },
    requests: {
      ...ours.requests,
      'management read': (ctx) => get('/api/clients?count=20', `Bearer ${ctx.adminToken}`),
    },
    exchange,
    refresh,
  }

  const peerWeb = { id: 'bench-web', secret: 'bench-web-secret-0123456789abcdef0123456789' }
  const peer = {
    web: { ...peerWeb, redirectUri: WEB_REDIRECT },
    async prepare(base) {
      const ctx = { base, webBasic: basic(peerWeb.id, peerWeb.secret), jars: [] }
      // One sign-in (a finished interaction) per collector, then codes from the session.
      for (let i = 0; i < COLLECTORS; i++) {
        const jar = new Jar()
        await peerAuthorize(ctx, jar, peerWeb.id, pkce().challenge)
        ctx.jars.push(jar)
      }
      // An access token node-oidc-provider answers userinfo for (opaque, for its userinfo).
      const { verifier, challenge } = pkce()
      const jar = new Jar()
      const code = await peerAuthorize(ctx, jar, `${peerWeb.id}-userinfo`, challenge)
      const tokens = await expectJson(
        await fetch(new URL('/token', base), {
          method: 'POST',
          headers: {
            authorization: basic(`${peerWeb.id}-userinfo`, peerWeb.secret),
            'content-type': FORM,
          },
          body: exchange(ctx, { code, verifier }),
        }),
        'peer userinfo token',
      )
      ctx.userToken = tokens.access_token
      return ctx
    },
    async codes(ctx, count) {
      return collect(count, async (worker) => {
        const { verifier, challenge } = pkce()
        const code = await peerAuthorize(ctx, ctx.jars[worker], peerWeb.id, challenge)
        return { code, verifier }
      })
    },
    requests: {
      client_credentials: () => clientCredentials,
      'client_credentials cached': () => clientCredentials,
      'authorization_code+PKCE': tokenPost,
      'refresh_token rotation': tokenPost,
      userinfo: (ctx) => get('/me', `Bearer ${ctx.userToken}`),
      jwks: () => get('/jwks'),
      discovery: () => get('/.well-known/openid-configuration'),
    },
    exchange,
    refresh,
  }
  return { ours, floor, peer, peerWeb }
}

/** GET /auth, following the peer's interaction when the jar has no session; answers the code. */
async function peerAuthorize(ctx, jar, clientId, challenge) {
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: WEB_REDIRECT,
    response_type: 'code',
    scope: clientId.endsWith('-userinfo') ? 'openid profile email' : 'openid profile email api',
    state: randomUUID(),
    nonce: randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
  let url = new URL(`/auth?${query}`, ctx.base)
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } })
    jar.keep(response)
    const body = await response.text()
    const location = response.headers.get('location')
    if (location === null)
      throw new Error(`peer ${url.pathname}: ${response.status} ${body.slice(0, 300)}`)
    const next = new URL(location, ctx.base)
    if (next.href.startsWith(WEB_REDIRECT)) return codeFrom(response, ctx.base)
    url = next
  }
  throw new Error('peer /auth: too many redirects')
}
