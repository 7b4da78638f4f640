import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AuthClientError } from '../../client-lib/src/index.js'
import { captureNavigation, createClient, disposeClients, signIn } from './helpers/browser.js'
import {
  CLIENT_ID,
  createFakeProvider,
  type FakeProvider,
  ISSUER,
  REDIRECT_URI,
} from './helpers/fake-provider.js'

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>
/** Keys besides the provider's: generated once, RSA key generation is slow on a busy machine. */
let otherKeys: { rsa: KeyPair; rsa2: KeyPair; ec: KeyPair }
beforeAll(async () => {
  const [rsa, rsa2, ec] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
  ])
  otherKeys = { rsa, rsa2, ec }
})

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
})
afterEach(disposeClients)

/** Starts a sign-in and answers the URL the server would redirect to (before any tampering). */
async function startSignIn(client = createClient(provider)) {
  const navigate = captureNavigation()
  history.replaceState(null, '', '/orders/7?view=all')
  await client.signIn()
  const authorizeUrl = String(navigate.mock.calls[0]?.[0])
  navigate.mockRestore()
  return { client, answer: new URL(provider.authorize(authorizeUrl)) }
}

async function callbackError(url: URL, client: ReturnType<typeof createClient>) {
  history.replaceState(null, '', url.href)
  const error = await client.handleRedirectCallback().catch((err: unknown) => err)
  expect(error).toBeInstanceOf(AuthClientError)
  return error as AuthClientError
}

describe('handleRedirectCallback()', () => {
  it('redeems the code with the PKCE verifier as a public client and answers the user and where to return (RFC 6749 §4.1.3, RFC 7636 §4.5)', async () => {
    const { client, answer } = await startSignIn()
    history.replaceState(null, '', answer.href)
    const result = await client.handleRedirectCallback()
    expect(result.returnTo).toBe('/orders/7?view=all')
    expect(result.user).toMatchObject({ sub: 'user-1', email: 'ada@example.com', iss: ISSUER })
    expect(client.user?.email).toBe('ada@example.com')
    expect(client.expiresAt).toBeGreaterThan(Date.now() + 3500_000)
    const [tokenRequest] = provider.requestsTo('/token')
    expect(tokenRequest?.method).toBe('POST')
    expect(Object.fromEntries(tokenRequest?.body ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: answer.searchParams.get('code'),
      redirect_uri: REDIRECT_URI,
      code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      client_id: CLIENT_ID,
    })
    expect(tokenRequest?.headers.has('authorization')).toBe(false)
  })

  it('removes code and state from the address bar (RFC 9700 §4.2.4)', async () => {
    const { client, answer } = await startSignIn()
    history.replaceState(null, '', answer.href)
    await client.handleRedirectCallback()
    expect(location.href).toBe('http://localhost:5173/callback')
  })

  it('redeems the code once when called twice for the same URL (framework strict modes)', async () => {
    const { client, answer } = await startSignIn()
    history.replaceState(null, '', answer.href)
    const [first, second] = await Promise.all([
      client.handleRedirectCallback(answer.href),
      client.handleRedirectCallback(answer.href),
    ])
    expect(second).toBe(first)
    expect(provider.requestsTo('/token')).toHaveLength(1)
  })

  it('rejects a response whose state is not the one sent, before redeeming anything (RFC 6749 §10.12)', async () => {
    const { client, answer } = await startSignIn()
    answer.searchParams.set('state', 'forged-state')
    const error = await callbackError(answer, client)
    expect(error.code).toBe('invalid_response')
    expect(provider.requestsTo('/token')).toHaveLength(0)
  })

  it('rejects a response without iss when discovery advertises it (RFC 9207 §2.4)', async () => {
    const { client, answer } = await startSignIn()
    answer.searchParams.delete('iss')
    const error = await callbackError(answer, client)
    expect(error.code).toBe('invalid_response')
    expect(provider.requestsTo('/token')).toHaveLength(0)
  })

  it('rejects a response from another issuer, mix-up defence (RFC 9207 §2.4)', async () => {
    const { client, answer } = await startSignIn()
    answer.searchParams.set('iss', 'https://attacker.example')
    const error = await callbackError(answer, client)
    expect(error.code).toBe('invalid_response')
    expect(provider.requestsTo('/token')).toHaveLength(0)
  })

  it('accepts a response without iss when the server does not advertise it (RFC 9207 §2.4)', async () => {
    provider = await createFakeProvider({ issParameter: false })
    const { client, answer } = await startSignIn()
    expect(answer.searchParams.has('iss')).toBe(false)
    history.replaceState(null, '', answer.href)
    await expect(client.handleRedirectCallback()).resolves.toMatchObject({
      user: { sub: 'user-1' },
    })
  })

  it('checks state before trusting an error response, and keeps the server error (RFC 6749 §4.1.2.1)', async () => {
    const { client, answer } = await startSignIn()
    answer.searchParams.delete('code')
    answer.searchParams.set('error', 'access_denied')
    answer.searchParams.set('error_description', 'The user said no')
    const denied = await callbackError(answer, client)
    expect(denied).toMatchObject({
      code: 'oauth_error',
      error: 'access_denied',
      error_description: 'The user said no',
    })
    const second = await startSignIn()
    second.answer.searchParams.delete('code')
    second.answer.searchParams.set('error', 'access_denied')
    second.answer.searchParams.set('state', 'forged')
    expect((await callbackError(second.answer, second.client)).code).toBe('invalid_response')
  })

  it('rejects an ID token whose nonce is not the one sent (OIDC Core §3.1.3.7 step 11)', async () => {
    const { client, answer } = await startSignIn()
    provider.idTokenClaims = (claims) => ({ ...claims, nonce: 'replayed-nonce' })
    expect((await callbackError(answer, client)).code).toBe('invalid_response')
    expect(client.user).toBeUndefined()
  })

  it('rejects an ID token without nonce (OIDC Core §3.1.3.7 step 11)', async () => {
    const { client, answer } = await startSignIn()
    provider.idTokenClaims = ({ nonce: _, ...claims }) => claims
    expect((await callbackError(answer, client)).code).toBe('invalid_response')
  })

  it('rejects an ID token signed by a key that is not in the JWKS (OIDC Core §3.1.3.7 step 6)', async () => {
    const { client, answer } = await startSignIn()
    provider.signingKey = otherKeys.rsa.privateKey
    const error = await callbackError(answer, client)
    expect(error.code).toBe('invalid_response')
    expect(error.message).toMatch(/signature/)
    expect(client.user).toBeUndefined()
  })

  it('rejects an expired ID token, beyond the clock tolerance (OIDC Core §3.1.3.7 step 9)', async () => {
    const { client, answer } = await startSignIn()
    const now = Math.floor(Date.now() / 1000)
    provider.idTokenClaims = (claims) => ({ ...claims, iat: now - 600, exp: now - 60 })
    expect((await callbackError(answer, client)).code).toBe('invalid_response')
  })

  it('accepts an ID token that expired within the 30 s clock tolerance (clock skew)', async () => {
    const { client, answer } = await startSignIn()
    const now = Math.floor(Date.now() / 1000)
    provider.idTokenClaims = (claims) => ({ ...claims, iat: now - 300, exp: now - 10 })
    history.replaceState(null, '', answer.href)
    await expect(client.handleRedirectCallback()).resolves.toBeDefined()
  })

  it('rejects an ID token for another audience or from another issuer (OIDC Core §3.1.3.7 steps 2-3)', async () => {
    const first = await startSignIn()
    provider.idTokenClaims = (claims) => ({ ...claims, aud: 'another-client' })
    expect((await callbackError(first.answer, first.client)).code).toBe('invalid_response')
    const second = await startSignIn()
    provider.idTokenClaims = (claims) => ({ ...claims, iss: 'https://attacker.example' })
    expect((await callbackError(second.answer, second.client)).code).toBe('invalid_response')
  })

  it('requires azp to be the client when there are several audiences or azp is present (OIDC Core §3.1.3.7 steps 4-5)', async () => {
    const several = await startSignIn()
    provider.idTokenClaims = (claims) => ({ ...claims, aud: [CLIENT_ID, 'api'] })
    expect((await callbackError(several.answer, several.client)).message).toBe('wrong aud')
    const otherAzp = await startSignIn()
    provider.idTokenClaims = (claims) => ({ ...claims, azp: 'another-client' })
    expect((await callbackError(otherAzp.answer, otherAzp.client)).message).toBe('wrong aud')
    const { client, answer } = await startSignIn()
    provider.idTokenClaims = (claims) => ({ ...claims, aud: [CLIENT_ID, 'api'], azp: CLIENT_ID })
    history.replaceState(null, '', answer.href)
    await expect(client.handleRedirectCallback()).resolves.toMatchObject({
      user: { sub: 'user-1' },
    })
  })

  it('rejects an ID token signed with an algorithm discovery does not advertise (OIDC Core §3.1.3.7 step 7)', async () => {
    provider.metadata.id_token_signing_alg_values_supported = ['ES256']
    const { client, answer } = await startSignIn()
    expect((await callbackError(answer, client)).message).toBe('wrong alg')
  })

  it('rejects an ID token without iat or without sub (OIDC Core §2)', async () => {
    const noIat = await startSignIn()
    provider.idTokenClaims = ({ iat: _, ...claims }) => claims
    expect((await callbackError(noIat.answer, noIat.client)).code).toBe('invalid_response')
    const noSub = await startSignIn()
    provider.idTokenClaims = ({ sub: _, ...claims }) => claims
    expect((await callbackError(noSub.answer, noSub.client)).message).toBe('no sub')
  })

  it('picks the JWKS key by kid among several (signing key rotation, OIDC Core §10.1.1)', async () => {
    const retired = otherKeys.rsa
    provider.jwks.keys.unshift({
      ...(await exportJWK(retired.publicKey)),
      kid: 'key-0',
      alg: 'RS256',
    })
    const { client, answer } = await startSignIn()
    history.replaceState(null, '', answer.href)
    await expect(client.handleRedirectCallback()).resolves.toMatchObject({
      user: { sub: 'user-1' },
    })
  })

  it('reads the JWKS again for a kid it does not hold, so a newly rotated key is found (OIDC Core §10.1.1)', async () => {
    const client = createClient(provider)
    const first = await startSignIn(client)
    history.replaceState(null, '', first.answer.href)
    await client.handleRedirectCallback()
    const rotated = otherKeys.rsa2
    provider.jwks.keys.push({ ...(await exportJWK(rotated.publicKey)), kid: 'key-2', alg: 'RS256' })
    provider.signingKey = rotated.privateKey
    provider.idTokenClaims = (claims) => claims
    const { SignJWT: Sign } = await import('jose')
    provider.tokenAnswer = async (_body, issued) => {
      const now = Math.floor(Date.now() / 1000)
      const idToken = await new Sign({ nonce: issued?.nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-2' })
        .setIssuer(ISSUER)
        .setAudience(CLIENT_ID)
        .setSubject('user-1')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(rotated.privateKey)
      return Response.json({
        access_token: 'at-2',
        token_type: 'Bearer',
        expires_in: 60,
        id_token: idToken,
      })
    }
    const second = await startSignIn(client)
    history.replaceState(null, '', second.answer.href)
    await expect(client.handleRedirectCallback()).resolves.toBeDefined()
    const jwksReads = provider.requestsTo('/.well-known/jwks.json')
    expect(jwksReads.map((read) => read.cache)).toEqual(['no-cache', 'no-cache'])
  })

  it('rejects an ID token with alg none, even when discovery lists it (RFC 8725 §3.1)', async () => {
    provider.metadata.id_token_signing_alg_values_supported = ['RS256', 'none']
    const { client, answer } = await startSignIn()
    provider.tokenAnswer = async (_body, issued) => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'key-1' })).toString(
        'base64url',
      )
      const now = Math.floor(Date.now() / 1000)
      const payload = Buffer.from(
        JSON.stringify({
          iss: ISSUER,
          aud: CLIENT_ID,
          sub: 'user-1',
          iat: now,
          exp: now + 60,
          nonce: issued?.nonce,
        }),
      ).toString('base64url')
      return Response.json({
        access_token: 'at',
        token_type: 'Bearer',
        id_token: `${header}.${payload}.`,
      })
    }
    const error = await callbackError(answer, client)
    expect(error).toMatchObject({ code: 'invalid_response', message: 'no none key key-1' })
  })

  it('accepts an ES256 ID token whose key is published in the JWKS (RFC 7518 §3.4)', async () => {
    provider.metadata.id_token_signing_alg_values_supported = ['RS256', 'ES256']
    const { client, answer } = await startSignIn()
    const es = otherKeys.ec
    provider.jwks.keys.push({ ...(await exportJWK(es.publicKey)), kid: 'ec-1', alg: 'ES256' })
    provider.tokenAnswer = async (_body, issued) => {
      const now = Math.floor(Date.now() / 1000)
      const idToken = await new SignJWT({ nonce: issued?.nonce, email: 'ec@example.com' })
        .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
        .setIssuer(ISSUER)
        .setAudience(CLIENT_ID)
        .setSubject('user-1')
        .setIssuedAt(now)
        .setExpirationTime(now + 60)
        .sign(es.privateKey)
      return Response.json({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 60,
        id_token: idToken,
      })
    }
    history.replaceState(null, '', answer.href)
    await expect(client.handleRedirectCallback()).resolves.toMatchObject({
      user: { email: 'ec@example.com' },
    })
  })

  it('maps a token endpoint error body to oauth_error with the server error and its body as cause (RFC 6749 §5.2)', async () => {
    const { client, answer } = await startSignIn()
    provider.tokenAnswer = () =>
      Response.json({ error: 'invalid_grant', error_description: 'code expired' }, { status: 400 })
    const error = await callbackError(answer, client)
    expect(error).toMatchObject({
      code: 'oauth_error',
      error: 'invalid_grant',
      error_description: 'code expired',
    })
    expect(error.cause).toEqual({ error: 'invalid_grant', error_description: 'code expired' })
  })

  it('maps a 401 WWW-Authenticate challenge from the token endpoint (RFC 6750 §3)', async () => {
    const { client, answer } = await startSignIn()
    provider.tokenAnswer = () =>
      new Response(JSON.stringify({ error: 'invalid_client' }), {
        status: 401,
        headers: {
          'content-type': 'application/json',
          'www-authenticate': 'Basic realm="token", error="invalid_client"',
        },
      })
    const error = await callbackError(answer, client)
    expect(error).toMatchObject({ code: 'oauth_error', error: 'invalid_client' })
  })

  it('maps an HTML 502 from a proxy to a transient server_error', async () => {
    const { client, answer } = await startSignIn()
    provider.tokenAnswer = () => new Response('<h1>Bad gateway</h1>', { status: 502 })
    expect((await callbackError(answer, client)).code).toBe('server_error')
  })

  it('fails with invalid_response when no sign-in was started in this tab', async () => {
    const client = createClient(provider)
    const error = await callbackError(
      new URL(`${REDIRECT_URI}?code=abc&state=xyz&iss=${ISSUER}`),
      client,
    )
    expect(error.code).toBe('invalid_response')
    expect(provider.requestsTo('/token')).toHaveLength(0)
  })

  it('consumes the transaction: a replayed callback URL is refused (RFC 6749 §10.5)', async () => {
    const { client, answer } = await startSignIn()
    history.replaceState(null, '', answer.href)
    await client.handleRedirectCallback()
    const other = createClient(provider)
    expect((await callbackError(answer, other)).code).toBe('invalid_response')
  })

  it('emits signedIn with the user', async () => {
    const client = createClient(provider)
    const seen: unknown[] = []
    client.on('signedIn', ({ user }) => seen.push(user.sub))
    await signIn(client, provider)
    expect(seen).toEqual(['user-1'])
  })
})
