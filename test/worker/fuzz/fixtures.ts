import { demoSpaUris } from '../../../worker/src/steps/ensure-demo-tenant'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  exchangeCode,
  pkce,
  responseParams,
  SPA_CLIENT_ID,
  spaRequest,
} from '../helpers/browser'
import { createHybridClient, HYBRID_REDIRECT, type HybridClient, refresh } from '../helpers/hybrid'
import { adminToken, api, basic, clientToken, seedDemoTenant } from '../helpers/tenant'
import { ISSUER } from '../helpers/worker'
import { send } from './harness'

export const SPA_ORIGIN = 'http://localhost:5173'
/** A loopback IP redirect URI: any port matches it (RFC 8252 §7.3). */
export const LOOPBACK_REDIRECT = 'http://127.0.0.1:8400/cb'
export const HYBRID_LOGOUT = 'https://web.example.com/signed-out'

/** What the fuzz cases draw their valid values from. */
export interface Fixtures {
  admin: string
  spa: { id: string; redirectUris: string[]; postLogoutRedirectUris: string[] }
  hybrid: HybridClient & { redirectUris: string[]; postLogoutRedirectUris: string[] }
  /** A client-credentials client and one of its secrets. */
  service: { id: string; secret: string }
  /** Every client's registered redirect and post-logout URIs, by id. */
  registered: Map<string, string[]>
  /** The demo administrator's session cookie (`Cookie` header value). */
  sessionCookie: string
  /** Tokens of every kind: a user's SPA tokens, a service token, hybrid tokens. */
  tokens: {
    userAccess: string
    idToken: string
    serviceAccess: string
    adminAccess: string
    hybridAccess: string
    refreshToken: string
    spentRefreshToken: string
  }
}

let built: Promise<Fixtures> | undefined

/** Builds the fixtures once per test file (each file has its own D1). */
export function fixtures(): Promise<Fixtures> {
  built ??= build()
  return built
}

async function build(): Promise<Fixtures> {
  await seedDemoTenant()
  const admin = await adminToken()
  const spaUris = demoSpaUris(SPA_ORIGIN)
  const hybrid = await createHybridClient({
    redirectUris: [HYBRID_REDIRECT, LOOPBACK_REDIRECT],
    postLogoutRedirectUris: [HYBRID_LOGOUT],
    allowRefreshToken: true,
  })
  const service = await createServiceClient(admin)

  // One sign-in (one PBKDF2): the session every authorization case may reuse.
  const browser = new Browser('192.0.2.1')
  const { query, verifier } = await spaRequest()
  const code = responseParams(
    await browser.authorize(query, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  ).get('code')
  const spaTokens = (await (await exchangeCode(code ?? '', verifier)).json()) as {
    access_token: string
    id_token: string
  }
  const sessionCookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ')

  const hybridCode = await mintCode(sessionCookie, hybrid.id, HYBRID_REDIRECT, {
    scope: 'openid offline_access',
  })
  const hybridTokens = (await (
    await send('/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basic(hybrid.id, hybrid.secret.value),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: hybridCode.code,
        redirect_uri: HYBRID_REDIRECT,
        code_verifier: hybridCode.verifier,
      }).toString(),
    })
  ).json()) as { access_token: string; refresh_token: string }
  const rotated = (await (await refresh(hybrid, hybridTokens.refresh_token)).json()) as {
    access_token: string
    refresh_token: string
  }

  if (rotated.refresh_token === undefined || spaTokens.id_token === undefined) {
    throw new Error('fixtures: the sign-in, code exchange or refresh failed')
  }
  return {
    admin,
    spa: { id: SPA_CLIENT_ID, ...spaUris },
    hybrid: {
      ...hybrid,
      redirectUris: [HYBRID_REDIRECT, LOOPBACK_REDIRECT],
      postLogoutRedirectUris: [HYBRID_LOGOUT],
    },
    service,
    registered: new Map([
      [SPA_CLIENT_ID, [...spaUris.redirectUris, ...spaUris.postLogoutRedirectUris]],
      [hybrid.id, [HYBRID_REDIRECT, LOOPBACK_REDIRECT, HYBRID_LOGOUT]],
    ]),
    sessionCookie,
    tokens: {
      userAccess: spaTokens.access_token,
      idToken: spaTokens.id_token,
      serviceAccess: await clientToken(service.id, service.secret),
      adminAccess: admin,
      hybridAccess: rotated.access_token,
      refreshToken: rotated.refresh_token,
      spentRefreshToken: hybridTokens.refresh_token,
    },
  }
}

async function createServiceClient(admin: string): Promise<{ id: string; secret: string }> {
  const response = await api(admin, 'POST', '/client-credential-clients', { name: 'Fuzz service' })
  const created = (await response.json()) as { id: string; secret: { value: string } }
  return { id: created.id, secret: created.secret.value }
}

let mintedCodes = 0

/**
 * A fresh authorization code for a signed-in session, through the real endpoint with
 * prompt=none (no page, no PBKDF2), with its PKCE verifier.
 */
export async function mintCode(
  sessionCookie: string,
  clientId: string,
  redirectUri: string,
  extra: Record<string, string> = {},
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = await pkce()
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email api',
    prompt: 'none',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })
  // Each code from its own /64: /authorize is rate limited per address, and minting is setup.
  mintedCodes++
  const ip = `2001:db8:${(mintedCodes >> 16).toString(16)}:${(mintedCodes & 0xffff).toString(16)}::1`
  const response = await send(`/authorize?${query}`, {
    headers: { Cookie: sessionCookie, 'CF-Connecting-IP': ip },
  })
  const location = response.headers.get('Location') ?? ''
  const code = new URL(location, ISSUER).searchParams.get('code')
  if (code === null) throw new Error(`no code: ${response.status} ${location}`)
  return { code, verifier }
}
