import { env } from 'cloudflare:workers'
import { hashPassword } from '../../../worker/src/crypto/password'
import { insertUser } from '../../../worker/src/storage/users'
import { TENANT_ID } from './tenant'
import { fetchWorker, ISSUER, testDb } from './worker'

export const SPA_CLIENT_ID = env.DEMO_SPA_CLIENT_ID ?? ''
export const SPA_REDIRECT = 'http://localhost:5173/callback'
export const ADMIN_EMAIL = env.DEMO_ADMIN_EMAIL ?? ''
export const ADMIN_PASSWORD = env.DEMO_ADMIN_PASSWORD ?? ''

/**
 * A browser in miniature: a cookie jar over the worker's entry point, redirects not followed,
 * so each hop of a flow can be checked. Cookies are scoped to the whole issuer (the server's
 * cookies are all `__Host-`, path /).
 */
export class Browser {
  readonly cookies = new Map<string, string>()

  /** Each browser has its own IP address, as the platform's rate limiters see it. */
  constructor(
    readonly ip = `198.18.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`,
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('CF-Connecting-IP', this.ip)
    if (this.cookies.size > 0) {
      headers.set('Cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '))
    }
    const response = await fetchWorker(path, { ...init, headers, redirect: 'manual' })
    for (const cookie of setCookies(response)) {
      const [pair = '', ...attributes] = cookie.split(';')
      const [name = '', value = ''] = pair.split('=')
      const expired = attributes.some(
        (a: string) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a),
      )
      if (expired || value === '') this.cookies.delete(name.trim())
      else this.cookies.set(name.trim(), value)
    }
    return response
  }

  /** Posts a form the way a browser does from one of the server's pages. */
  postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ISSUER },
      body: new URLSearchParams(fields).toString(),
    })
  }

  /**
   * Opens an authorization URL, fills the sign-in form when it appears, and answers the final
   * response of the server (the redirect to the client, or a page).
   */
  async authorize(
    query: Record<string, string>,
    credentials?: { email: string; password: string },
  ) {
    const response = await this.fetch(`/authorize?${new URLSearchParams(query)}`)
    if (response.status !== 200 || credentials === undefined) return response
    const page = await response.text()
    if (!page.includes('name="password"')) return new Response(page, response)
    return this.postForm('/signin', { ...hiddenFields(page), ...credentials })
  }
}

/** Every Set-Cookie header of a response (workerd's Headers.getAll keeps them apart). */
export function setCookies(response: Response): string[] {
  return response.headers.getAll('Set-Cookie')
}

/** The hidden inputs of a page's form. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[match[1] ?? ''] = (match[2] ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"')
  }
  return fields
}

/** The authorization response parameters of a redirect (query or fragment). */
export function responseParams(response: Response): URLSearchParams {
  const location = response.headers.get('Location')
  if (location === null) throw new Error(`no redirect: ${response.status}`)
  const url = new URL(location)
  return new URLSearchParams(url.hash === '' ? url.search : url.hash.slice(1))
}

/** A PKCE pair (RFC 7636 §4.1, §4.2). */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '')
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
  )
  const challenge = btoa(String.fromCharCode(...digest))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '')
  return { verifier, challenge }
}

/** The query of a valid SPA authorization request, with a fresh PKCE pair and state. */
export async function spaRequest(overrides: Record<string, string> = {}) {
  const { verifier, challenge } = await pkce()
  const query: Record<string, string> = {
    client_id: SPA_CLIENT_ID,
    redirect_uri: SPA_REDIRECT,
    response_type: 'code',
    scope: 'openid profile email api',
    state: crypto.randomUUID(),
    nonce: crypto.randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  }
  return { query, verifier }
}

/** Exchanges a code at the token endpoint as the SPA does (public client). */
export function exchangeCode(
  code: string,
  verifier: string | undefined,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  return fetchWorker('/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: SPA_REDIRECT,
      client_id: SPA_CLIENT_ID,
      ...(verifier !== undefined && { code_verifier: verifier }),
      ...extra,
    }).toString(),
  })
}

/** Creates a user of the demo tenant that can sign in; answers its id. */
export async function createUser(email: string, password: string, enabled = true): Promise<string> {
  const id = crypto.randomUUID()
  const now = Math.floor(Date.now() / 1000)
  await insertUser(
    testDb(),
    {
      id,
      tenantId: TENANT_ID,
      email,
      name: 'Test User',
      enabled,
      roleIds: ['account-member'],
      createdAt: now,
      updatedAt: now,
    },
    await hashPassword(password),
  )
  return id
}

/** Signs in through the SPA client and answers the browser and its code exchange's tokens. */
export async function signedInTokens(
  credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
) {
  const browser = new Browser()
  const { query, verifier } = await spaRequest()
  const response = await browser.authorize(query, credentials)
  const code = responseParams(response).get('code') ?? ''
  const tokens = (await (await exchangeCode(code, verifier)).json()) as {
    access_token: string
    id_token: string
    expires_in: number
    scope: string
  }
  return { browser, tokens }
}
