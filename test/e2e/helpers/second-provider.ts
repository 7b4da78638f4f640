import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createLocalJWKSet, type JWK, jwtVerify } from 'jose'
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider'
import type { Page } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { portOpen, ROOT, waitFor } from './stack'

// A second, independent OpenID provider for browser tests (issue 12, "Done when"):
// node-oidc-provider on its own port, and an instance of the demo SPA on another port pointed at
// it, so the same scenarios run against edge-identity (`npm start`) and against it.

/** What a browser scenario needs to know about a provider and the demo SPA pointed at it. */
export interface OpenIdProviderUnderTest {
  /** A short name for test titles. */
  name: string
  issuer: string
  clientId: string
  /** The demo SPA instance that uses this provider (its origin, no trailing slash). */
  spaUrl: string
  /** The email the demo SPA shows once signed in (it reads it from `${issuer}/userinfo`). */
  email: string
  /**
   * Signs in on the provider's own pages, from a page that is on them (after the SPA's
   * `Sign in`), and returns once the browser is back on the SPA.
   */
  signIn(page: Page): Promise<void>
  /** Makes the token endpoint hold every request until the returned function is called. */
  holdTokenRequests(): () => void
  /** Stops everything it started and frees its ports (safe to call twice, and after a failure). */
  stop(): Promise<void>
}

/** The ports of this helper, apart from npm start's 8787/5173 and the quick start's 5175. */
export const SECOND_PROVIDER_PORT = 3110
export const SECOND_SPA_PORT = 5174

const CLIENT_ID = 'demo-spa'
const LOGIN = 'alice@example.com'
/** The audience of the JWT access tokens (RFC 8707 resource indicator, RFC 9068 `aud`). */
const RESOURCE = 'https://api.example.com'

/**
 * Starts node-oidc-provider on `http://localhost:3110` and the demo SPA's Vite dev server on
 * `http://localhost:5174` with VITE_ISSUER/VITE_CLIENT_ID pointing at it. The provider has one
 * public client (PKCE required, redirect URIs `/callback` and `/silent-callback.html`, post-logout
 * `/`), devInteractions sign-in (any login, any password) with consent granted for the client, and
 * a session cookie the SPA's hidden iframe gets (same site: both on localhost), so `prompt=none`
 * renews; RP-initiated logout that signs out without asking (its confirmation form submits itself);
 * RFC 9068 JWT access tokens for the `api` scope; and response_mode=web_message (the
 * experimental feature, draft 01).
 *
 * node-oidc-provider's userinfo (`/me`) answers only its opaque access tokens, never a JWT for
 * another audience; the demo SPA reads the email from `${issuer}/userinfo`, so the helper answers
 * that path itself: it verifies the JWT against the provider's key and answers the account's
 * claims.
 */
export async function startSecondProvider(): Promise<OpenIdProviderUnderTest> {
  const issuer = `http://localhost:${SECOND_PROVIDER_PORT}`
  const spaUrl = `http://localhost:${SECOND_SPA_PORT}`
  for (const port of [SECOND_PROVIDER_PORT, SECOND_SPA_PORT]) {
    if (await portOpen(port))
      throw new Error(`port ${port} is in use: a second provider is running`)
  }
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'edge-identity-second-spa-'))
  let server: Server | undefined
  let spa: ViteDevServer | undefined
  const held = new Set<() => void>()
  let holding = false
  let stopped = false

  const stop = async () => {
    if (stopped) return
    stopped = true
    for (const release of held) release()
    await spa?.close().catch(() => undefined)
    if (server !== undefined) {
      server.closeAllConnections()
      await new Promise((resolve) => server?.close(resolve))
    }
    await waitFor(
      async () => !(await portOpen(SECOND_PROVIDER_PORT)) && !(await portOpen(SECOND_SPA_PORT)),
      5000,
    ).catch(() => undefined)
    rmSync(cacheDir, { recursive: true, force: true })
  }

  try {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const signing = { ...privateKey.export({ format: 'jwk' }), kid: 'second-1', alg: 'RS256' }
    const verifying = { ...publicKey.export({ format: 'jwk' }), kid: 'second-1', alg: 'RS256' }
    const provider = new Provider(issuer, providerConfiguration(spaUrl, signing as JWK))

    // The demo SPA's /userinfo for JWT access tokens (see above), and a switch to hold /token.
    const keys = createLocalJWKSet({ keys: [verifying as JWK] })
    provider.use(async (ctx, next) => {
      if (ctx.path === '/userinfo') return userinfo(ctx, keys, issuer, spaUrl)
      if (ctx.path === '/token' && ctx.method === 'POST' && holding) {
        await new Promise<void>((resolve) => held.add(resolve))
      }
      return next()
    })
    server = provider.listen(SECOND_PROVIDER_PORT) as Server
    await waitFor(() => portOpen(SECOND_PROVIDER_PORT), 10_000)

    // The SPA imports the built library (client-lib/dist), as under npm start.
    if (!existsSync(path.join(ROOT, 'client-lib/dist/index.js'))) {
      execFileSync('node', [path.join(ROOT, 'client-lib/scripts/build.mjs')], { cwd: ROOT })
    }
    spa = await createServer({
      configFile: path.join(ROOT, 'demo-spa/vite.config.ts'),
      // Its own dependency cache: npm start's instance on 5173 uses the default one.
      cacheDir,
      server: { port: SECOND_SPA_PORT, strictPort: true, host: '127.0.0.1' },
      define: {
        'import.meta.env.VITE_ISSUER': JSON.stringify(issuer),
        'import.meta.env.VITE_CLIENT_ID': JSON.stringify(CLIENT_ID),
      },
      logLevel: 'warn',
    })
    await spa.listen()

    return {
      name: 'node-oidc-provider',
      issuer,
      clientId: CLIENT_ID,
      spaUrl,
      email: LOGIN,
      signIn: (page) => signInWithDevInteractions(page, spaUrl),
      holdTokenRequests() {
        holding = true
        return () => {
          holding = false
          for (const release of held) release()
          held.clear()
        }
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

/** devInteractions' login form: any login and password sign in as that login. */
async function signInWithDevInteractions(page: Page, spaUrl: string): Promise<void> {
  await page.locator('input[name="login"]').fill(LOGIN)
  await page.locator('input[name="password"]').fill('any password')
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.waitForURL((url) => url.origin === spaUrl, { timeout: 20_000 })
}

/** The account behind a login: its email is the login itself. */
const claimsOf = (accountId: string) => ({
  sub: accountId,
  email: accountId,
  email_verified: true,
  name: 'Alice Example',
})

function providerConfiguration(spaUrl: string, signing: JWK): Configuration {
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${spaUrl}/callback`, `${spaUrl}/silent-callback.html`],
        post_logout_redirect_uris: [`${spaUrl}/`],
      },
    ],
    // The token endpoint answers the SPA's origin only (its redirect URIs' origin).
    clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string) => origin === spaUrl,
    jwks: { keys: [signing] },
    cookies: { keys: ['second-provider-test-cookie-key'] },
    scopes: ['openid', 'profile', 'email', 'api'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => claimsOf(id) }),
    // First-party client: consent is granted for everything it asks, so prompt=none renews.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc
      if (client === undefined || session?.accountId === undefined) return undefined
      const existing = session.grantIdFor(client.clientId)
      if (existing !== undefined) {
        const grant = await ctx.oidc.provider.Grant.find(existing)
        if (grant !== undefined) return grant
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      })
      grant.addOIDCScope('openid profile email api')
      grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name'])
      grant.addResourceScope(RESOURCE, 'api')
      await grant.save()
      return grant
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // The user already chose Sign out in the app: the confirmation submits itself.
        logoutSource: async (ctx, form) => {
          ctx.body = `<!DOCTYPE html><html><head><title>Signing out</title></head><body>${form}
<script>var f = document.forms[0]; var i = document.createElement('input');
i.type = 'hidden'; i.name = 'logout'; i.value = 'yes'; f.appendChild(i); f.submit()</script>
</body></html>`
        },
      },
      webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: RESOURCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: { AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  }
}

/** `/userinfo` for the demo SPA: the JWT access token's account claims, CORS for the SPA. */
async function userinfo(
  ctx: KoaContextWithOIDC,
  keys: ReturnType<typeof createLocalJWKSet>,
  issuer: string,
  spaUrl: string,
): Promise<void> {
  const res = ctx.res as ServerResponse
  const req = ctx.req as IncomingMessage
  ctx.set('Access-Control-Allow-Origin', spaUrl)
  ctx.set('Vary', 'Origin')
  if (req.method === 'OPTIONS') {
    ctx.set('Access-Control-Allow-Headers', 'Authorization')
    ctx.set('Access-Control-Allow-Methods', 'GET')
    ctx.status = 204
    return
  }
  ctx.set('Cache-Control', 'no-store')
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
  try {
    if (token === undefined) throw new Error('no token')
    const { payload } = await jwtVerify(token, keys, { issuer, audience: RESOURCE })
    ctx.body = claimsOf(String(payload.sub))
  } catch {
    res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"')
    ctx.status = 401
    ctx.body = { error: 'invalid_token' }
  }
}
