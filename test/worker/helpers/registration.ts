import { sha256 } from '../../../worker/src/crypto/hash'
import { randomId, randomToken } from '../../../worker/src/crypto/random'
import { setDynamicRegistration } from '../../../worker/src/storage/dynamic-registration'
import { insertInitialAccessToken } from '../../../worker/src/storage/initial-access-tokens'
import { Browser, hiddenFields, pkce } from './browser'
import { TENANT_ID } from './tenant'
import { fetchWorker, testDb } from './worker'

/** A fresh address, so each test has its own per-address registration counter. */
export const randomIp = () =>
  `198.51.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`

/** Turns dynamic registration on (or off) for the demo tenant (or `tenantId`). */
export async function allowRegistration(enabled = true, tenantId = TENANT_ID): Promise<void> {
  await setDynamicRegistration(testDb(), tenantId, enabled)
}

/** An initial access token of the demo tenant, written straight to D1 (the API is tested apart). */
export async function initialAccessToken(
  options: { maxUses?: number | null; expiresIn?: number; tenantId?: string } = {},
): Promise<{ id: string; token: string }> {
  const token = randomToken()
  const id = randomId()
  const now = Math.floor(Date.now() / 1000)
  await insertInitialAccessToken(testDb(), {
    id,
    tenantId: options.tenantId ?? TENANT_ID,
    hash: await sha256(token),
    description: 'test',
    maxUses: options.maxUses ?? null,
    expiresAt: now + (options.expiresIn ?? 3600),
    createdAt: now,
  })
  return { id, token }
}

export const REGISTERED_REDIRECT = 'http://127.0.0.1/callback'

/** Metadata of a public native client, with `overrides`. */
export const clientMetadata = (overrides: Record<string, unknown> = {}) => ({
  client_name: 'Test MCP client',
  redirect_uris: [REGISTERED_REDIRECT],
  ...overrides,
})

/** POST /register with a JSON body and an initial access token (if any), from `ip`. */
export function register(
  body: unknown,
  token: string | undefined,
  ip = randomIp(),
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetchWorker('/register', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'CF-Connecting-IP': ip,
      ...(token !== undefined && { Authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export interface Registered {
  client_id: string
  registration_access_token: string
  registration_client_uri: string
  [name: string]: unknown
}

/** Registers a client with a fresh token in the demo tenant (registration on); asserts 201. */
export async function registerClient(overrides: Record<string, unknown> = {}): Promise<Registered> {
  await allowRegistration()
  const { token } = await initialAccessToken()
  const response = await register(clientMetadata(overrides), token)
  if (response.status !== 201) throw new Error(`registration failed: ${await response.text()}`)
  return (await response.json()) as Registered
}

/**
 * Answers the consent page a third-party client's authorization shows (issue 17) with `Allow`;
 * the response is then the redirect to the client. A response that is already a redirect (a
 * remembered consent) is answered as it is.
 */
export async function passConsent(browser: Browser, response: Response): Promise<Response> {
  if (response.status !== 200) return response
  const html = await response.text()
  if (!html.includes('Allow access?'))
    throw new Error(`not the consent page: ${html.slice(0, 200)}`)
  return browser.postForm('/authorize/consent', { ...hiddenFields(html), decision: 'allow' })
}

/** Signs a fresh browser in and authorizes `clientId` with PKCE: the code and its verifier. */
export async function authorizeRegistered(
  clientId: string,
  credentials: { email: string; password: string },
  redirectUri = REGISTERED_REDIRECT,
) {
  const browser = new Browser()
  const { verifier, challenge } = await pkce()
  const query = {
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    state: crypto.randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }
  const response = await passConsent(browser, await browser.authorize(query, credentials))
  const location = new URL(response.headers.get('Location') ?? 'about:blank')
  return { browser, code: location.searchParams.get('code') ?? '', verifier, location }
}
