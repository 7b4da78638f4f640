import { SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuthClientError, type AuthorizationParams } from '../../client-lib/src/index.js'
import { captureNavigation, createClient, disposeClients } from './helpers/browser.js'
import {
  CLIENT_ID,
  createFakeProvider,
  type FakeProvider,
  ISSUER,
  KID,
} from './helpers/fake-provider.js'

// Claims checks that client-lib 1.0 took over from oauth4webapi (issue 12), found missing or
// loose by the audit of stop 19: each test fails without the check in code-exchange.ts.

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
})
afterEach(disposeClients)

/** Signs in with these authorization parameters and answers the callback's outcome. */
async function callback(authorizationParams: AuthorizationParams = {}) {
  const client = createClient(provider)
  const navigate = captureNavigation()
  await client.signIn({ authorizationParams })
  const authorizeUrl = String(navigate.mock.calls[0]?.[0])
  navigate.mockRestore()
  history.replaceState(null, '', provider.authorize(authorizeUrl))
  return client.handleRedirectCallback().catch((error: unknown) => error)
}

const now = () => Math.floor(Date.now() / 1000)

describe('ID token claims (OIDC Core §3.1.3.7)', () => {
  it('H06 rejects an ID token without auth_time when max_age was requested (OIDC Core §3.1.3.7 step 13, §2)', async () => {
    provider.idTokenClaims = ({ auth_time: _, ...claims }) => claims
    const outcome = await callback({ max_age: 300 })
    expect(outcome).toBeInstanceOf(AuthClientError)
    expect(outcome).toMatchObject({ code: 'invalid_response', message: 'wrong auth_time' })
  })

  it('H06 rejects an ID token whose auth_time is older than the max_age requested (OIDC Core §3.1.3.7 step 13)', async () => {
    provider.idTokenClaims = (claims) => ({ ...claims, auth_time: now() - 3600 })
    const outcome = await callback({ max_age: '300' })
    expect(outcome).toMatchObject({ code: 'invalid_response', message: 'wrong auth_time' })
  })

  it('H06 accepts an ID token whose auth_time is within the max_age requested, and one without auth_time when no max_age was', async () => {
    provider.idTokenClaims = (claims) => ({ ...claims, auth_time: now() - 100 })
    await expect(callback({ max_age: 300 })).resolves.toMatchObject({ user: { sub: 'user-1' } })
    provider.idTokenClaims = (claims) => claims
    await expect(callback()).resolves.toMatchObject({ user: { sub: 'user-1' } })
  })

  it('rejects an ID token whose exp or iat is not a number (RFC 7519 §2 NumericDate)', async () => {
    provider.idTokenClaims = (claims) => ({
      ...claims,
      exp: String(now() + 300) as unknown as number,
    })
    expect(await callback()).toMatchObject({ code: 'invalid_response' })
    provider.idTokenClaims = (claims) => ({ ...claims, exp: [now() + 300] as unknown as number })
    expect(await callback()).toMatchObject({ code: 'invalid_response' })
    provider.idTokenClaims = (claims) => ({ ...claims, iat: String(now()) as unknown as number })
    expect(await callback()).toMatchObject({ code: 'invalid_response' })
  })

  it('rejects an ID token that is not valid yet: nbf beyond the clock tolerance (RFC 7519 §4.1.5)', async () => {
    provider.idTokenClaims = (claims) => ({ ...claims, nbf: now() + 600 })
    expect(await callback()).toMatchObject({ code: 'invalid_response' })
    provider.idTokenClaims = (claims) => ({ ...claims, nbf: now() + 10 })
    await expect(callback()).resolves.toMatchObject({ user: { sub: 'user-1' } })
  })

  it('answers invalid_response, not a TypeError, to a token response whose JSON is not an object (RFC 6749 §5.1)', async () => {
    provider.tokenAnswer = () => Response.json(null)
    const outcome = await callback()
    expect(outcome).toBeInstanceOf(AuthClientError)
    expect(outcome).toMatchObject({ code: 'invalid_response' })
  })

  it('rejects an ID token whose header has crit extensions it does not understand (RFC 7515 §4.1.11)', async () => {
    provider.tokenAnswer = async (_body, issued) => {
      const idToken = await new SignJWT({ nonce: issued?.nonce })
        .setProtectedHeader({
          alg: 'RS256',
          kid: KID,
          crit: ['urn:example:must-understand'],
          'urn:example:must-understand': true,
        })
        .setIssuer(ISSUER)
        .setAudience(CLIENT_ID)
        .setSubject('user-1')
        .setIssuedAt(now())
        .setExpirationTime(now() + 60)
        .sign(provider.signingKey, { crit: { 'urn:example:must-understand': true } })
      return Response.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken })
    }
    expect(await callback()).toMatchObject({ code: 'invalid_response', message: 'crit' })
  })
})
