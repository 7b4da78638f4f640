import { env } from 'cloudflare:workers'
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { JWT_BEARER_ASSERTION_TYPE } from '../../worker/src/domain/client-assertion'
import { clientJwksCacheKey } from '../../worker/src/outbound/fetch-jwks'
import { ADMIN_EMAIL, ADMIN_PASSWORD, exchangeCode } from './helpers/browser'
import { authorizeRegistered, REGISTERED_REDIRECT, registerClient } from './helpers/registration'
import { seedDemoTenant, tokenRequest } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey']

let clientId: string
let privateKey: Key
let publicJwk: JWK
const KID = 'client-key-1'

/** A JWKS at a host that never resolves (.invalid): only the KV copy the test writes is found. */
const jwksUri = () => `https://jwks.invalid/${crypto.randomUUID()}/jwks.json`

async function publishJwks(uri: string, keys: JWK[]): Promise<void> {
  await env.CACHE.put(await clientJwksCacheKey(uri), JSON.stringify({ keys }))
}

beforeAll(async () => {
  await seedDemoTenant()
  const pair = await generateKeyPair('ES256', { extractable: true })
  privateKey = pair.privateKey
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'ES256', use: 'sig' }
  const uri = jwksUri()
  await publishJwks(uri, [publicJwk])
  const registered = await registerClient({
    token_endpoint_auth_method: 'private_key_jwt',
    jwks_uri: uri,
  })
  clientId = registered.client_id
})

/** A client assertion (RFC 7523 §3) for `clientId`, with `claims` changed. */
function assertion(
  claims: JWTPayload = {},
  options: { key?: Key | Uint8Array; alg?: string; kid?: string; sub?: string } = {},
): Promise<string> {
  const sub = options.sub ?? clientId
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({
    jti: crypto.randomUUID(),
    iss: sub,
    sub,
    aud: ISSUER,
    iat: now,
    exp: now + 60,
    ...claims,
  })
    .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? KID })
    .sign(options.key ?? privateKey)
}

/**
 * A token request whose grant can only fail (an unknown code): 400 invalid_grant means the
 * client authenticated, 401 invalid_client that it did not.
 */
async function authenticateWith(form: Record<string, string>): Promise<string> {
  const response = await tokenRequest({
    grant_type: 'authorization_code',
    code: 'unknown',
    ...form,
  })
  return ((await response.json()) as { error: string }).error
}

const withAssertion = async (jwt: string | Promise<string>) =>
  authenticateWith({
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: await jwt,
  })

describe('private_key_jwt client authentication (RFC 7523 §2.2, OIDC Core §9)', () => {
  it('authenticates a client by an assertion signed with a key of its jwks_uri', async () => {
    expect(await withAssertion(assertion())).toBe('invalid_grant')
  })

  it('redeems a code of a private_key_jwt client with PKCE and an assertion', async () => {
    const { code, verifier } = await authorizeRegistered(clientId, {
      email: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    })
    const response = await exchangeCode(code, verifier, {
      client_id: clientId,
      redirect_uri: REGISTERED_REDIRECT,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await assertion(),
    })
    expect(response.status).toBe(200)
  })

  it('refuses a private_key_jwt client that sends no assertion (its id alone)', async () => {
    expect(await authenticateWith({ client_id: clientId })).toBe('invalid_client')
  })

  it('refuses an assertion whose aud is the token endpoint, not the issuer (draft-ietf-oauth-rfc7523bis)', async () => {
    expect(await withAssertion(assertion({ aud: `${ISSUER}/token` }))).toBe('invalid_client')
    expect(await withAssertion(assertion({ aud: 'https://other.example' }))).toBe('invalid_client')
  })

  it('refuses an expired assertion, and one that expires too far ahead (RFC 7523 §3 item 4)', async () => {
    const now = Math.floor(Date.now() / 1000)
    expect(await withAssertion(assertion({ exp: now - 10 }))).toBe('invalid_client')
    expect(await withAssertion(assertion({ exp: now + 3600 }))).toBe('invalid_client')
  })

  it('M01 refuses a replayed assertion: its jti is single use (RFC 7523 §3 item 7)', async () => {
    const jwt = await assertion()
    expect(await withAssertion(jwt)).toBe('invalid_grant')
    expect(await withAssertion(jwt)).toBe('invalid_client')
  })

  it('refuses an HS256 assertion, even under the client key’s kid', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    expect(await withAssertion(assertion({}, { key: secret, alg: 'HS256' }))).toBe('invalid_client')
  })

  it('refuses an unsigned (alg none) assertion', async () => {
    const now = Math.floor(Date.now() / 1000)
    const unsigned = new UnsecuredJWT({ jti: crypto.randomUUID() })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(ISSUER)
      .setExpirationTime(now + 60)
      .encode()
    expect(await withAssertion(unsigned)).toBe('invalid_client')
  })

  it('refuses an assertion signed by a key that is not in the client’s JWKS', async () => {
    const other = await generateKeyPair('ES256')
    expect(await withAssertion(assertion({}, { key: other.privateKey, kid: 'unknown' }))).toBe(
      'invalid_client',
    )
    expect(await withAssertion(assertion({}, { key: other.privateKey }))).toBe('invalid_client')
  })

  it('refuses an assertion without jti, or whose iss differs from sub', async () => {
    expect(await withAssertion(assertion({ jti: undefined }))).toBe('invalid_client')
    expect(await withAssertion(assertion({ iss: 'someone-else' }))).toBe('invalid_client')
  })

  it('D04 refuses a body client_id that differs from the assertion’s sub', async () => {
    const other = await registerClient()
    const error = await authenticateWith({
      client_id: other.client_id,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await assertion(),
    })
    expect(error).toBe('invalid_client')
  })

  it('refuses an assertion for a client registered with none (it authenticates as it registered)', async () => {
    const publicClient = await registerClient()
    const jwt = assertion({}, { sub: publicClient.client_id })
    expect(await withAssertion(jwt)).toBe('invalid_client')
  })

  it('refuses another assertion type, and an assertion with a secret (D03)', async () => {
    const jwt = await assertion()
    expect(
      await authenticateWith({ client_assertion_type: 'urn:example:saml', client_assertion: jwt }),
    ).toBe('invalid_client')
    expect(
      await authenticateWith({
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: jwt,
        client_secret: 'x',
      }),
    ).toBe('invalid_request')
  })

  it('refuses an assertion when the jwks_uri cannot be fetched', async () => {
    const registered = await registerClient({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: jwksUri(),
    })
    const jwt = assertion({}, { sub: registered.client_id })
    expect(await withAssertion(jwt)).toBe('invalid_client')
  })

  it('J01 authenticates at revocation through the same stage', async () => {
    const revoke = (form: Record<string, string>) =>
      fetchWorker('/revoke', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: 'unknown', ...form }).toString(),
      })
    const good = await revoke({
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await assertion(),
    })
    expect(good.status).toBe(200)
    expect((await revoke({ client_id: clientId })).status).toBe(401)
  })

  it('I02 discovery advertises private_key_jwt with asymmetric algorithms only', async () => {
    const metadata = (await (
      await fetchWorker('/.well-known/openid-configuration')
    ).json()) as Record<string, string[]>
    expect(metadata.token_endpoint_auth_methods_supported).toContain('private_key_jwt')
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toContain('ES256')
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).not.toContain('HS256')
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).not.toContain('none')
    expect(metadata.registration_endpoint).toBe(`${ISSUER}/register`)
  })
})
