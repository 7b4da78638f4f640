import { createServer, type IncomingMessage, type Server } from 'node:http'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFRESH_TOKEN_REUSE_GRACE_SECONDS as REUSE_GRACE_SECONDS } from '../../worker/src/domain/refresh-token'
import { launchBrowser } from './helpers/browser'
import { SERVER } from './helpers/stack'

// A real server-side web app (a "hybrid backend"), played by a small Node server using the strict
// OpenID Connect relying party library openid-client, against `npm start`: the README's "Hybrid
// backend" guide, step by step.
const TENANT = '6f2c4e1a-3b5d-4c7e-9f10-2a3b4c5d6e7f'
const ADMIN_CLIENT = {
  id: '0b9d8f2e-7a6c-4e5d-8b1a-9c0d1e2f3a4b',
  secret: 'demo-admin-client-secret-change-me-0123456789',
}
const BACKEND = 'http://localhost:17081'
const REDIRECT_URI = `${BACKEND}/signin-oidc`

interface Session {
  state: string
  nonce: string
  verifier: string
  tokens?: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers
  idTokenFromFrontChannel?: Record<string, unknown>
  error?: string
}

async function registerHybridClient(): Promise<{ id: string; secret: string }> {
  const token = await fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${btoa(`${ADMIN_CLIENT.id}:${ADMIN_CLIENT.secret}`)}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  })
  const { access_token: admin } = (await token.json()) as { access_token: string }
  const created = await fetch(`${SERVER}/api/v1/tenants/${TENANT}/hybrid-clients`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'Hybrid backend (e2e)',
      redirectUris: [REDIRECT_URI],
      allowRefreshToken: true,
    }),
  })
  const body = (await created.json()) as { id: string; secret: { value: string } }
  return { id: body.id, secret: body.secret.value }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => resolve(body))
    request.on('error', reject)
  })
}

describe('hybrid backend with openid-client (code id_token + form_post, refresh rotation)', () => {
  let config: oidc.Configuration
  let backend: Server
  const session: Session = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
  }

  beforeAll(async () => {
    const client = await registerHybridClient()
    config = await oidc.discovery(
      new URL(SERVER),
      client.id,
      undefined,
      oidc.ClientSecretBasic(client.secret),
      {
        execute: [oidc.allowInsecureRequests, oidc.useCodeIdTokenResponseType],
      },
    )
    backend = createServer(async (request, response) => {
      if (request.url === '/login') {
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: REDIRECT_URI,
          scope: 'openid profile email offline_access',
          response_mode: 'form_post',
          state: session.state,
          nonce: session.nonce,
          code_challenge: await oidc.calculatePKCECodeChallenge(session.verifier),
          code_challenge_method: 'S256',
        })
        response.writeHead(302, { Location: url.href }).end()
        return
      }
      if (request.method === 'POST' && request.url === '/signin-oidc') {
        const callback = new Request(REDIRECT_URI, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: await readBody(request),
        })
        try {
          // Validates the front-channel ID token (signature, iss, aud, nonce, c_hash), the
          // state and iss, then redeems the code with the client secret and validates again.
          session.tokens = await oidc.authorizationCodeGrant(config, callback, {
            expectedState: session.state,
            expectedNonce: session.nonce,
            pkceCodeVerifier: session.verifier,
          })
          response
            .writeHead(200, { 'Content-Type': 'text/plain' })
            .end(`Signed in as ${session.tokens.claims()?.sub}`)
        } catch (error) {
          session.error = String(error)
          response
            .writeHead(400, { 'Content-Type': 'text/plain' })
            .end(`Sign-in failed: ${session.error}`)
        }
        return
      }
      response.writeHead(404).end()
    })
    await new Promise<void>((resolve) => backend.listen(17081, '127.0.0.1', resolve))
  })

  afterAll(async () => {
    await new Promise((resolve) => backend?.close(resolve))
  })

  it('signs in through Chromium, validates the hybrid response, rotates refresh tokens and revokes the grant on reuse', async () => {
    const browser = await launchBrowser()
    try {
      const page = await browser.context.newPage()
      await page.goto(`${BACKEND}/login`)
      await page.getByLabel('Email').fill('admin@demo.example')
      await page.getByLabel('Password').fill('demo-admin-password')
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.waitForURL(REDIRECT_URI)
      expect(await page.textContent('body'), session.error).toMatch(/^Signed in as /)
    } finally {
      await browser.close()
    }

    const tokens = session.tokens
    if (tokens === undefined) throw new Error(session.error ?? 'no tokens')
    expect(tokens.refresh_token).toEqual(expect.any(String))
    const claims = tokens.claims()
    expect(claims?.iss).toBe(SERVER)

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '')
    expect(userinfo.email).toBe('admin@demo.example')

    // Rotation: a new refresh token each time, and an ID token with the same sub and auth_time.
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '')
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token)
    expect(rotated.claims()?.sub).toBe(claims?.sub)
    expect(rotated.claims()?.auth_time).toBe(claims?.auth_time)
    expect((await oidc.tokenIntrospection(config, rotated.refresh_token ?? '')).active).toBe(true)

    // Within the grace after its rotation (5 s, a retry or a racing request of the same
    // backend), the old refresh token is refused without revoking anything (N05)...
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token ?? '')).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expect((await oidc.tokenIntrospection(config, rotated.refresh_token ?? '')).active).toBe(true)
    // ...after it, replaying it is a reuse: refused, and the whole grant is revoked (F05).
    await new Promise((resolve) => setTimeout(resolve, (REUSE_GRACE_SECONDS + 1) * 1000))
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token ?? '')).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expect((await oidc.tokenIntrospection(config, rotated.refresh_token ?? '')).active).toBe(false)
    expect((await oidc.tokenIntrospection(config, rotated.access_token)).active).toBe(false)
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token ?? '')).rejects.toMatchObject(
      { error: 'invalid_grant' },
    )
  })
})
