import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser, responseParams } from './browser'
import { adminToken, api, basic } from './tenant'
import { fetchWorker } from './worker'

export const HYBRID_REDIRECT = 'https://web.example.com/signin-oidc'

export interface HybridClient {
  id: string
  secret: { value: string }
}

/** A hybrid client of the demo tenant, created through the management API. */
export async function createHybridClient(
  settings: Record<string, unknown> = {},
): Promise<HybridClient> {
  const admin = await adminToken()
  const response = await api(admin, 'POST', '/hybrid-clients', {
    name: 'Server-side web app',
    redirectUris: [HYBRID_REDIRECT],
    ...settings,
  })
  if (response.status !== 201) throw new Error(`client not created: ${await response.text()}`)
  return (await response.json()) as HybridClient
}

/** Signs the demo admin in (once per browser) and answers the front-channel parameters. */
export async function hybridAuthorize(
  client: HybridClient,
  query: Record<string, string>,
  browser = new Browser(),
) {
  const response = await browser.authorize(
    {
      client_id: client.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code',
      scope: 'openid offline_access',
      state: crypto.randomUUID(),
      nonce: crypto.randomUUID(),
      ...query,
    },
    { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  )
  return { params: responseParams(response), browser }
}

/** A POST to a back-channel endpoint authenticated with the hybrid client's secret. */
export function backChannel(
  client: HybridClient,
  path: string,
  form: Record<string, string>,
): Promise<Response> {
  return fetchWorker(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: basic(client.id, client.secret.value),
    },
    body: new URLSearchParams(form).toString(),
  })
}

export interface TokenSet {
  access_token: string
  refresh_token?: string
  id_token?: string
  scope: string
  expires_in: number
}

/** Signs in and redeems the code: the tokens a server-side web app holds. */
export async function hybridTokens(client: HybridClient, query: Record<string, string> = {}) {
  const { params, browser } = await hybridAuthorize(client, query)
  const response = await backChannel(client, '/token', {
    grant_type: 'authorization_code',
    code: params.get('code') ?? '',
    redirect_uri: HYBRID_REDIRECT,
  })
  if (response.status !== 200) throw new Error(`code exchange failed: ${await response.text()}`)
  return { tokens: (await response.json()) as TokenSet, browser }
}

export function refresh(
  client: HybridClient,
  refreshToken: string,
  extra: Record<string, string> = {},
) {
  return backChannel(client, '/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...extra,
  })
}
