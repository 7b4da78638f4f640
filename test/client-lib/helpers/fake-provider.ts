import { createHash, randomUUID } from 'node:crypto'
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'

export const ISSUER = 'http://localhost:8787'
export const APP_ORIGIN = 'http://localhost:5173'
export const CLIENT_ID = 'demo-spa'
export const REDIRECT_URI = `${APP_ORIGIN}/callback`
export const SILENT_REDIRECT_URI = `${APP_ORIGIN}/silent-callback.html`
export const POST_LOGOUT_REDIRECT_URI = `${APP_ORIGIN}/`
export const KID = 'key-1'

/** One request the library made, as the fake server saw it. */
export interface SeenRequest {
  method: string
  url: URL
  body: URLSearchParams
  headers: Headers
  /** RequestInit.cache as the library passed it (Fetch §5.3). */
  cache: RequestCache | undefined
}

interface IssuedCode {
  clientId: string
  redirectUri: string
  codeChallenge: string
  nonce: string
  sub: string
  /** When the request carried max_age: the ID token must then carry auth_time (OIDC Core §2). */
  authTime?: number
}

/** Answer of the token endpoint, overridable per test. */
type TokenAnswer = (
  body: URLSearchParams,
  issued: IssuedCode | undefined,
) => Promise<Response> | Response

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

const base64url = (data: Buffer) => data.toString('base64url')

/**
 * An OpenID provider in memory, reached through an injected fetch: discovery, JWKS, token
 * endpoint (authorization_code + PKCE S256, public client), and an `authorize()` that answers an
 * authorization request the way a compliant server redirects (code or error, with state and iss).
 */
let sharedKeys: ReturnType<typeof generateKeyPair> | undefined

export async function createFakeProvider(
  options: { issParameter?: boolean; issuer?: string } = {},
) {
  const issuer = options.issuer ?? ISSUER
  // RSA key generation takes ~0.3 s: one key pair per test file is enough.
  sharedKeys ??= generateKeyPair('RS256', { extractable: true })
  const keys = await sharedKeys
  const publicJwk = { ...(await exportJWK(keys.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
  const provider = {
    issuer,
    /** The signed-in user at the server (the session cookie); null = no session. */
    session: { sub: 'user-1', email: 'ada@example.com', name: 'Ada' } as Record<
      string,
      string
    > | null,
    /** Error answered to prompt=none when there is no session. */
    noSessionError: 'login_required',
    accessTokenLifetime: 3600,
    metadata: {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/userinfo`,
      end_session_endpoint: `${issuer}/end_session`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      authorization_response_iss_parameter_supported: options.issParameter ?? true,
    } as Record<string, unknown>,
    jwks: { keys: [publicJwk] } as { keys: object[] },
    /** Every request the library sent, in order. */
    requests: [] as SeenRequest[],
    /** Every authorization request (iframe or top-level navigation) answered by authorize(). */
    authorizations: [] as URL[],
    codes: new Map<string, IssuedCode>(),
    /** Changes the ID token's claims or header before signing. */
    idTokenClaims: (claims: JWTPayload): JWTPayload => claims,
    signingKey: keys.privateKey as CryptoKey,
    /** Replaces the token endpoint's answer. */
    tokenAnswer: undefined as TokenAnswer | undefined,
    /** Makes every request fail like an unreachable server. */
    offline: false,

    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      const url = new URL(request.url)
      const body = new URLSearchParams(request.method === 'POST' ? await request.text() : '')
      provider.requests.push({
        method: request.method,
        url,
        body,
        headers: request.headers,
        cache: init?.cache,
      })
      if (provider.offline) throw new TypeError('Failed to fetch')
      if (url.href === `${issuer}/.well-known/openid-configuration`)
        return json(200, provider.metadata)
      if (url.href === provider.metadata.jwks_uri) return json(200, provider.jwks)
      if (url.href === provider.metadata.token_endpoint) return provider.token(body)
      if (url.origin === 'https://api.example') return json(200, { ok: true })
      return json(404, { error: 'not_found' })
    }) as typeof fetch,

    async token(body: URLSearchParams): Promise<Response> {
      const issued = provider.codes.get(body.get('code') ?? '')
      provider.codes.delete(body.get('code') ?? '')
      if (provider.tokenAnswer) return provider.tokenAnswer(body, issued)
      const verifier = body.get('code_verifier') ?? ''
      const challenge = base64url(createHash('sha256').update(verifier).digest())
      if (
        body.get('grant_type') !== 'authorization_code' ||
        !issued ||
        issued.clientId !== body.get('client_id') ||
        issued.redirectUri !== body.get('redirect_uri') ||
        issued.codeChallenge !== challenge
      ) {
        return json(400, { error: 'invalid_grant' })
      }
      const now = Math.floor(Date.now() / 1000)
      const claims = provider.idTokenClaims({
        iss: issuer,
        aud: CLIENT_ID,
        sub: issued.sub,
        iat: now,
        exp: now + 300,
        nonce: issued.nonce,
        ...(issued.authTime !== undefined && { auth_time: issued.authTime }),
        email: provider.session?.email,
        name: provider.session?.name,
      })
      const idToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .sign(provider.signingKey)
      return json(
        200,
        {
          access_token: `at-${randomUUID()}`,
          token_type: 'Bearer',
          expires_in: provider.accessTokenLifetime,
          id_token: idToken,
          scope: 'openid profile email',
        },
        { 'cache-control': 'no-store' },
      )
    },

    /**
     * Answers an authorization request as the redirect a compliant server sends: to redirect_uri
     * with `code` (or `error`), always with `state` and `iss` (RFC 9207, OIDC Core §3.1.2.6).
     */
    authorize(requestUrl: string): string {
      const request = new URL(requestUrl)
      provider.authorizations.push(request)
      const params = request.searchParams
      const answer = new URL(params.get('redirect_uri') ?? '')
      const state = params.get('state')
      if (state) answer.searchParams.set('state', state)
      if (provider.metadata.authorization_response_iss_parameter_supported) {
        answer.searchParams.set('iss', issuer)
      }
      const session = provider.session
      if (!session && params.get('prompt') === 'none') {
        answer.searchParams.set('error', provider.noSessionError)
        return answer.href
      }
      const code = randomUUID()
      provider.codes.set(code, {
        clientId: params.get('client_id') ?? '',
        redirectUri: params.get('redirect_uri') ?? '',
        codeChallenge: params.get('code_challenge') ?? '',
        nonce: params.get('nonce') ?? '',
        sub: session?.sub ?? 'user-1',
        ...(params.has('max_age') && { authTime: Math.floor(Date.now() / 1000) }),
      })
      answer.searchParams.set('code', code)
      return answer.href
    },

    /** Requests to one endpoint, by path. */
    requestsTo(pathname: string): SeenRequest[] {
      return provider.requests.filter((r) => r.url.pathname === pathname)
    },
  }
  return provider
}

export type FakeProvider = Awaited<ReturnType<typeof createFakeProvider>>
