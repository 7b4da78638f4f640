// The soak's traffic: the flows a real deployment sees, each HTTP request timed and checked
// against the status it must answer. Node built-ins and fetch only.
import { createHash, randomBytes, randomUUID } from 'node:crypto'

const SPA_REDIRECT = 'http://localhost:5173/callback'
const HYBRID_REDIRECT = 'https://web.example.com/signin-oidc'

/** A weighted mix of operations; each is one or more HTTP requests. */
export const MIX = {
  clientCredentials: 24,
  jwks: 18,
  userinfo: 14,
  refresh: 14,
  codeFlowWithSession: 10,
  codeFlowSignIn: 3,
  apiRead: 11,
  apiWrite: 6,
}

const base64url = (buffer) => buffer.toString('base64url')

/** A PKCE pair (RFC 7636 §4.1, §4.2, S256). */
export function pkce() {
  const verifier = base64url(randomBytes(32))
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) }
}

/**
 * Counts and times every request. An answer other than the expected status is an error of kind
 * `<operation> <status>` (with the start of its body), a failed fetch `<operation> network: ...`.
 */
export class Recorder {
  requests = 0
  latenciesMs = []
  errors = new Map()
  /** Answers as expected, by operation (`token:refresh_token`, `jwks`, ...). */
  succeeded = new Map()

  async send(operation, expected, url, init = {}) {
    const started = performance.now()
    let response
    let body = ''
    try {
      response = await fetch(url, { redirect: 'manual', ...init })
      body = await response.text()
    } catch (error) {
      this.#count(`${operation} network: ${error.cause?.code ?? error.message}`, '')
      return undefined
    } finally {
      this.requests++
      this.latenciesMs.push(performance.now() - started)
    }
    if (response.status !== expected) {
      this.#count(`${operation} ${response.status}`, body.slice(0, 160))
      return undefined
    }
    this.succeeded.set(operation, (this.succeeded.get(operation) ?? 0) + 1)
    return { response, body }
  }

  #count(kind, sample) {
    const entry = this.errors.get(kind) ?? { count: 0, sample }
    entry.count++
    this.errors.set(kind, entry)
  }
}

/** One simulated user agent: a cookie jar, and the tokens it holds between operations. */
export class Agent {
  cookies = new Map()
  accessToken
  refreshToken
  /** This agent's latest client-credentials token: the management API is rate limited per
   * token (300 a minute), so each agent calls it as its own administrator's tool would. */
  adminToken

  constructor(setup, recorder) {
    this.setup = setup
    this.recorder = recorder
    this.ip = `198.18.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`
  }

  headers(extra = {}) {
    const headers = { 'CF-Connecting-IP': this.ip, ...extra }
    if (this.cookies.size > 0) {
      headers.Cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    }
    return headers
  }

  keepCookies(response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at).trim()
      const value = pair.slice(at + 1)
      if (value === '' || attributes.some((a) => /max-age=0/i.test(a))) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  async run(operation) {
    return this[operation]()
  }

  async clientCredentials() {
    const issued = await this.recorder.send(
      'token:client_credentials',
      200,
      `${this.setup.url}/token`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: this.setup.adminBasic,
        },
        body: 'grant_type=client_credentials',
      },
    )
    if (issued !== undefined) this.adminToken = JSON.parse(issued.body).access_token
    return issued
  }

  /** The bearer token of a management request: this agent's own, once it has one. */
  apiAuthorization() {
    return `Bearer ${this.adminToken ?? this.setup.adminToken}`
  }

  /** Not in the mix: the cheapest request (no storage), to compare memory with (--only). */
  discovery() {
    return this.recorder.send(
      'discovery',
      200,
      `${this.setup.url}/.well-known/openid-configuration`,
    )
  }

  jwks() {
    return this.recorder.send('jwks', 200, `${this.setup.url}/.well-known/jwks.json`)
  }

  async userinfo() {
    if (this.accessToken === undefined) return this.codeFlowWithSession()
    return this.recorder.send('userinfo', 200, `${this.setup.url}/userinfo`, {
      headers: { Authorization: `Bearer ${this.accessToken}` },
    })
  }

  /** The SPA's flow: authorize (signing in when there is no session), code + PKCE -> tokens. */
  async codeFlowWithSession() {
    const { verifier, challenge } = pkce()
    const query = new URLSearchParams({
      client_id: this.setup.spaClientId,
      redirect_uri: SPA_REDIRECT,
      response_type: 'code',
      scope: 'openid profile email api',
      state: randomUUID(),
      nonce: randomUUID(),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    const code = await this.authorize(query)
    if (code === undefined) return
    const exchanged = await this.recorder.send(
      'token:authorization_code',
      200,
      `${this.setup.url}/token`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: SPA_REDIRECT,
          client_id: this.setup.spaClientId,
          code_verifier: verifier,
        }).toString(),
      },
    )
    if (exchanged !== undefined) this.accessToken = JSON.parse(exchanged.body).access_token
  }

  /** The whole flow from a browser without a session: the sign-in form is filled each time. */
  async codeFlowSignIn() {
    this.cookies.clear()
    return this.codeFlowWithSession()
  }

  /** GET /authorize, then the sign-in form when it appears; answers the code. */
  async authorize(query) {
    const url = `${this.setup.url}/authorize?${query}`
    const hasSession = this.cookies.size > 0
    const first = await this.recorder.send(
      hasSession ? 'authorize:session' : 'authorize:page',
      hasSession ? 303 : 200,
      url,
      { headers: this.headers() },
    )
    if (first === undefined) return undefined
    this.keepCookies(first.response)
    let final = first.response
    if (!hasSession) {
      const fields = {}
      for (const match of first.body.matchAll(
        /<input type="hidden" name="([^"]+)" value="([^"]*)"/g,
      )) {
        fields[match[1]] = match[2].replaceAll('&amp;', '&').replaceAll('&quot;', '"')
      }
      const signedIn = await this.recorder.send('signin', 303, `${this.setup.url}/signin`, {
        method: 'POST',
        headers: this.headers({
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: this.setup.url,
        }),
        body: new URLSearchParams({
          ...fields,
          email: this.setup.adminEmail,
          password: this.setup.adminPassword,
        }).toString(),
      })
      if (signedIn === undefined) return undefined
      this.keepCookies(signedIn.response)
      final = signedIn.response
    }
    const location = final.headers.get('Location') ?? ''
    return new URL(location, this.setup.url).searchParams.get('code') ?? undefined
  }

  /** A server-side web app's refresh token rotation (RFC 6749 §6, one chain per agent). */
  async refresh() {
    if (this.refreshToken === undefined) {
      this.refreshToken = await this.setup.newRefreshToken(this)
      if (this.refreshToken === undefined) return
    }
    const refreshed = await this.recorder.send(
      'token:refresh_token',
      200,
      `${this.setup.url}/token`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: this.setup.hybridBasic,
        },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: this.refreshToken,
        }).toString(),
      },
    )
    this.refreshToken =
      refreshed === undefined ? undefined : JSON.parse(refreshed.body).refresh_token
  }

  apiRead() {
    const path = Math.random() < 0.5 ? 'users?count=20' : 'roles'
    return this.recorder.send(`api:GET ${path.split('?')[0]}`, 200, this.setup.api(path), {
      headers: { Authorization: this.apiAuthorization() },
    })
  }

  /** Creates a user (by invitation: no password hashing) and deletes it again. */
  async apiWrite() {
    const created = await this.recorder.send('api:POST users', 201, this.setup.api('users'), {
      method: 'POST',
      headers: {
        Authorization: this.apiAuthorization(),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ email: `soak-${randomUUID()}@soak.example`, name: 'Soak User' }),
    })
    if (created === undefined) return
    const { id } = JSON.parse(created.body)
    await this.recorder.send('api:DELETE users', 204, this.setup.api(`users/${id}`), {
      method: 'DELETE',
      headers: { Authorization: this.apiAuthorization() },
    })
  }
}

const basic = (id, secret) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`

/**
 * What every agent shares: the demo seed's credentials, an administrator token, and a hybrid
 * client (created through the management API) whose grants hold refresh tokens.
 */
export async function prepareSetup(url, vars) {
  const setup = {
    url,
    spaClientId: vars.DEMO_SPA_CLIENT_ID,
    adminEmail: vars.DEMO_ADMIN_EMAIL,
    adminPassword: vars.DEMO_ADMIN_PASSWORD,
    adminBasic: basic(vars.DEMO_ADMIN_CLIENT_ID, vars.DEMO_ADMIN_CLIENT_SECRET),
    api: (path) => `${url}/api/v1/tenants/${vars.DEMO_TENANT_ID}/${path}`,
  }
  const token = await fetch(`${url}/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: setup.adminBasic,
    },
    body: 'grant_type=client_credentials',
  })
  if (token.status !== 200) throw new Error(`admin token: ${token.status} ${await token.text()}`)
  setup.adminToken = (await token.json()).access_token
  const client = await fetch(setup.api('hybrid-clients'), {
    method: 'POST',
    headers: { Authorization: `Bearer ${setup.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'Soak web app',
      redirectUris: [HYBRID_REDIRECT],
      allowRefreshToken: true,
    }),
  })
  if (client.status !== 201)
    throw new Error(`hybrid client: ${client.status} ${await client.text()}`)
  const created = await client.json()
  setup.hybridBasic = basic(created.id, created.secret.value)
  setup.hybridClientId = created.id

  /** Signs in (session of the agent) for the hybrid client and redeems the code. */
  setup.newRefreshToken = async (agent) => {
    const { verifier, challenge } = pkce()
    const code = await agent.authorize(
      new URLSearchParams({
        client_id: created.id,
        redirect_uri: HYBRID_REDIRECT,
        response_type: 'code',
        scope: 'openid offline_access',
        state: randomUUID(),
        nonce: randomUUID(),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    )
    if (code === undefined) return undefined
    const exchanged = await agent.recorder.send('token:authorization_code', 200, `${url}/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: setup.hybridBasic,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: HYBRID_REDIRECT,
        code_verifier: verifier,
      }).toString(),
    })
    if (exchanged === undefined) return undefined
    const tokens = JSON.parse(exchanged.body)
    if (tokens.refresh_token === undefined)
      throw new Error('the hybrid client got no refresh token')
    return tokens.refresh_token
  }
  return setup
}

/** Picks an operation by weight. */
export function pickOperation() {
  const total = Object.values(MIX).reduce((sum, weight) => sum + weight, 0)
  let roll = Math.random() * total
  for (const [operation, weight] of Object.entries(MIX)) {
    roll -= weight
    if (roll < 0) return operation
  }
  return 'jwks'
}
