import * as oauth from 'oauth4webapi'
import { beforeAll, describe, expect, it } from 'vitest'
import { SERVER } from './helpers/stack'

// DPoP (RFC 9449) with a third-party client: oauth4webapi's own DPoP support (its `DPoP()`
// handle signs the proofs and keeps the server's nonces) against `npm start`, for a service
// (client credentials) and for a hybrid backend (code with dpop_jkt, userinfo, refresh). The
// values come from .dev.vars.example, which `npm start` copied to .dev.vars.
const TENANT = '6f2c4e1a-3b5d-4c7e-9f10-2a3b4c5d6e7f'
const ADMIN = {
  id: '0b9d8f2e-7a6c-4e5d-8b1a-9c0d1e2f3a4b',
  secret: 'demo-admin-client-secret-change-me-0123456789',
}
const API = `${SERVER}/api/v1/tenants/${TENANT}`
const REDIRECT_URI = 'http://127.0.0.1:17082/signin-oidc'
const issuer = new URL(SERVER)
/** The issuer is plain http on localhost, which oauth4webapi refuses unless told otherwise. */
const insecure = { [oauth.allowInsecureRequests]: true }

let as: oauth.AuthorizationServer

beforeAll(async () => {
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure))
})

/** A bound client-credentials token of the demo administrator client, and its DPoP handle. */
async function serviceToken() {
  const client: oauth.Client = { client_id: ADMIN.id }
  const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'))
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(ADMIN.secret),
    new URLSearchParams(),
    { DPoP, ...insecure },
  )
  return { DPoP, tokens: await oauth.processClientCredentialsResponse(as, client, response) }
}

/** Signs the demo administrator in with plain HTTP (the sign-in form) and answers the redirect. */
async function signIn(authorizationUrl: URL): Promise<URL> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' })
  expect(page.status).toBe(200)
  const cookies = page.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
  const fields = new URLSearchParams()
  for (const match of (await page.text()).matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)"/g,
  )) {
    fields.set(match[1] ?? '', (match[2] ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"'))
  }
  fields.set('email', 'admin@demo.example')
  fields.set('password', 'demo-admin-password')
  const signedIn = await fetch(`${SERVER}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: cookies,
      Origin: SERVER,
    },
    body: fields,
  })
  const location = signedIn.headers.get('Location')
  if (location === null) throw new Error(`sign-in did not redirect: ${signedIn.status}`)
  return new URL(location)
}

describe('DPoP with oauth4webapi against npm start (RFC 9449)', () => {
  it('advertises the proof algorithms in discovery (RFC 9449 §5.1)', () => {
    expect(as.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA', 'RS256', 'PS256'])
  })

  it('client credentials: a DPoP-bound token calls the management API with proofs, and is refused as Bearer', async () => {
    const { DPoP, tokens } = await serviceToken()
    expect(tokens.token_type).toBe('dpop')
    const roles = await oauth.protectedResourceRequest(
      tokens.access_token,
      'GET',
      new URL(`${API}/roles`),
      undefined,
      undefined,
      { DPoP, ...insecure },
    )
    expect(roles.status).toBe(200)
    const asBearer = await fetch(`${API}/roles`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    })
    expect(asBearer.status).toBe(401)
    expect(asBearer.headers.get('WWW-Authenticate')).toMatch(/^DPoP .*error="invalid_token"/)
  })

  it('hybrid backend: code bound by dpop_jkt, userinfo with proofs, refresh with the same key only; the bound token replayed as Bearer is refused', async () => {
    const { DPoP: adminDpop, tokens: admin } = await serviceToken()
    const created = await oauth.protectedResourceRequest(
      admin.access_token,
      'POST',
      new URL(`${API}/hybrid-clients`),
      new Headers({ 'Content-Type': 'application/json' }),
      JSON.stringify({
        name: 'DPoP hybrid backend (e2e)',
        redirectUris: [REDIRECT_URI],
        allowRefreshToken: true,
      }),
      { DPoP: adminDpop, ...insecure },
    )
    expect(created.status).toBe(201)
    const registered = (await created.json()) as { id: string; secret: { value: string } }
    const client: oauth.Client = { client_id: registered.id }
    const clientAuth = oauth.ClientSecretBasic(registered.secret.value)
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'))

    const verifier = oauth.generateRandomCodeVerifier()
    const state = oauth.generateRandomState()
    const nonce = oauth.generateRandomNonce()
    const url = new URL(as.authorization_endpoint ?? '')
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile offline_access',
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      dpop_jkt: await DPoP.calculateThumbprint(),
    }).toString()
    const callback = oauth.validateAuthResponse(as, client, await signIn(url), state)

    const redeemed = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      callback,
      REDIRECT_URI,
      verifier,
      { DPoP, ...insecure },
    )
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, redeemed, {
      expectedNonce: nonce,
      requireIdToken: true,
    })
    expect(tokens.token_type).toBe('dpop')
    expect(tokens.refresh_token).toBeDefined()
    const sub = oauth.getValidatedIdTokenClaims(tokens)?.sub ?? ''

    const info = await oauth.processUserInfoResponse(
      as,
      client,
      sub,
      await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP, ...insecure }),
    )
    expect(info.sub).toBe(sub)
    const replayed = await fetch(`${SERVER}/userinfo`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    })
    expect(replayed.status).toBe(401)
    expect(replayed.headers.get('WWW-Authenticate')).toMatch(/^DPoP .*error="invalid_token"/)

    // Another key cannot use the refresh token, and does not burn it.
    const thief = oauth.DPoP(client, await oauth.generateKeyPair('ES256'))
    const stolen = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth,
      tokens.refresh_token ?? '',
      { DPoP: thief, ...insecure },
    )
    await expect(oauth.processRefreshTokenResponse(as, client, stolen)).rejects.toMatchObject({
      error: 'invalid_dpop_proof',
    })
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token ?? '', {
        DPoP,
        ...insecure,
      }),
    )
    expect(refreshed.token_type).toBe('dpop')
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
    const again = await oauth.userInfoRequest(as, client, refreshed.access_token, {
      DPoP,
      ...insecure,
    })
    expect(again.status).toBe(200)
  })
})
