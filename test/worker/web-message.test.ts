import { beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  exchangeCode,
  SPA_REDIRECT,
  spaRequest,
} from './helpers/browser'
import { createHybridClient, HYBRID_REDIRECT } from './helpers/hybrid'
import { seedDemoTenant } from './helpers/tenant'
import { fetchWorker, ISSUER } from './helpers/worker'

const CREDENTIALS = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }
const SPA_ORIGIN = new URL(SPA_REDIRECT).origin
let signedIn: Browser

beforeAll(async () => {
  await seedDemoTenant()
  signedIn = new Browser()
  const { query } = await spaRequest()
  await signedIn.authorize(query, CREDENTIALS)
})

interface Posted {
  message: { type: string; response: Record<string, string> }
  targetOrigin: string
  nonce: string | undefined
  scripts: number
}

/**
 * What a web_message page posts, read from its script as the browser would run it: the message
 * and target origin are JSON literals (workerd cannot evaluate the script itself).
 */
function postedBy(html: string): Posted {
  const call = /postMessage\((\{.*\}), ("[^"\n]*")\)\n/.exec(html)
  if (call === null) throw new Error(`no postMessage in the page: ${html}`)
  return {
    message: JSON.parse(call[1] ?? ''),
    targetOrigin: JSON.parse(call[2] ?? ''),
    nonce: /<script nonce="([^"]+)"/.exec(html)?.[1],
    scripts: html.split('<script').length - 1,
  }
}

/** Sends a web_message authorization request and answers the response and what its page posts. */
async function webMessage(browser: Browser, query: Record<string, string>) {
  const response = await browser.fetch(
    `/authorize?${new URLSearchParams({ ...query, response_mode: 'web_message' })}`,
  )
  expect(response.status).toBe(200)
  expect(response.headers.get('Location')).toBeNull()
  expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
  return { response, posted: postedBy(await response.text()) }
}

describe('response_mode=web_message (OAuth 2.0 Web Message Response Mode)', () => {
  it('I03 posts the code, state and iss to the opener or parent at the redirect URI origin', async () => {
    const { query, verifier } = await spaRequest({ prompt: 'none' })
    const { posted } = await webMessage(signedIn, query)
    expect(posted.targetOrigin).toBe(SPA_ORIGIN)
    expect(posted.message.type).toBe('authorization_response')
    const { code, ...rest } = posted.message.response
    expect(rest).toEqual({ state: query.state, iss: ISSUER })
    expect(code).toMatch(/^[\w-]{43}$/)
    // The posted code is the redirect's code: it redeems at the token endpoint as usual.
    const tokens = await exchangeCode(code ?? '', verifier)
    expect(tokens.status).toBe(200)
  })

  it('A12 A14 sends the page uncached, without Referer, runnable only for its nonce, framable only by the redirect URI origin', async () => {
    const { query } = await spaRequest({ prompt: 'none' })
    const { response, posted } = await webMessage(signedIn, query)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
    const csp = (response.headers.get('Content-Security-Policy') ?? '').split(/;\s*/)
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain(`frame-ancestors ${SPA_ORIGIN}`)
    expect(csp).toContain(`script-src 'nonce-${posted.nonce}'`)
    expect(posted.nonce).toMatch(/^[\w-]{22,}$/)
    expect(posted.scripts).toBe(1)
    // X-Frame-Options: DENY would contradict frame-ancestors, so the page does not send it.
    expect(response.headers.get('X-Frame-Options')).toBeNull()
    // A fresh nonce per response, so an injected script cannot guess it.
    const again = await webMessage(signedIn, (await spaRequest({ prompt: 'none' })).query)
    expect(again.posted.nonce).not.toBe(posted.nonce)
  })

  it('H01 posts login_required with state and iss for prompt=none without a session, never a sign-in page', async () => {
    const { query } = await spaRequest({ prompt: 'none' })
    const { posted } = await webMessage(new Browser(), query)
    expect(posted.targetOrigin).toBe(SPA_ORIGIN)
    expect(posted.message).toEqual({
      type: 'authorization_response',
      response: {
        error: 'login_required',
        error_description: 'The user must sign in',
        state: query.state,
        iss: ISSUER,
      },
    })
  })

  it('A03 posts an error once the client and redirect URI are verified (RFC 6749 §4.1.2.1)', async () => {
    const { query } = await spaRequest({ scope: 'profile nope' })
    const { response, posted } = await webMessage(signedIn, query)
    expect(posted.message.response.error).toBe('invalid_scope')
    expect(posted.message.response.state).toBe(query.state)
    expect(posted.message.response.iss).toBe(ISSUER)
    expect(response.headers.get('Content-Security-Policy')).toContain(
      `frame-ancestors ${SPA_ORIGIN}`,
    )
  })

  it('A08 posts the error for a missing response_type, in the mode the request asked for', async () => {
    const { query } = await spaRequest({ prompt: 'none' })
    delete query.response_type
    const { posted } = await webMessage(signedIn, query)
    expect(posted.message.response.error).toBe('invalid_request')
    expect(posted.message.response.state).toBe(query.state)
  })

  it.each([
    ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/callback' }],
    ['a redirect_uri on another port', { redirect_uri: 'http://localhost:5174/callback' }],
    ['an unknown client', { client_id: crypto.randomUUID() }],
  ])('A01 A02 never posts anything for %s: the error page, not framable', async (_, override) => {
    const { query } = await spaRequest({ prompt: 'none', ...override })
    const response = await signedIn.fetch(
      `/authorize?${new URLSearchParams({ ...query, response_mode: 'web_message' })}`,
    )
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).not.toContain('<script')
    expect(html).not.toContain('postMessage')
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('X-Frame-Options')).toBe('DENY')
  })

  it('omits state from the response when the request had none', async () => {
    const { query } = await spaRequest({ prompt: 'none' })
    delete query.state
    const { posted } = await webMessage(signedIn, query)
    expect(Object.keys(posted.message.response).sort()).toEqual(['code', 'iss'])
  })

  it('A15 a state that tries to close the script is carried intact and cannot inject markup', async () => {
    const state = '</script><script>alert(1)</script>\u2028"\''
    const { query } = await spaRequest({ prompt: 'none', state })
    const { posted } = await webMessage(signedIn, query)
    expect(posted.scripts).toBe(1)
    expect(posted.message.response.state).toBe(state)
  })

  it('answers a popup sign-in with the sign-in form, then posts the code once the form is sent', async () => {
    const { query } = await spaRequest()
    const response = await new Browser().authorize(
      { ...query, response_mode: 'web_message' },
      CREDENTIALS,
    )
    expect(response.status).toBe(200)
    const { message, targetOrigin } = postedBy(await response.text())
    expect(targetOrigin).toBe(SPA_ORIGIN)
    expect(message.response.code).toBeTruthy()
    expect(message.response.state).toBe(query.state)
  })

  it('posts a hybrid response with its ID token to the hybrid client origin', async () => {
    const client = await createHybridClient()
    const { posted } = await webMessage(signedIn, {
      client_id: client.id,
      redirect_uri: HYBRID_REDIRECT,
      response_type: 'code id_token',
      scope: 'openid',
      state: 's1',
      nonce: 'n1',
    })
    expect(posted.targetOrigin).toBe('https://web.example.com')
    expect(posted.message.response.id_token).toBeTruthy()
    expect(posted.message.response.code).toBeTruthy()
  })

  it('I02 discovery lists web_message among response_modes_supported', async () => {
    const metadata = (await (await fetchWorker('/.well-known/openid-configuration')).json()) as {
      response_modes_supported: string[]
    }
    expect(metadata.response_modes_supported).toEqual([
      'query',
      'fragment',
      'form_post',
      'web_message',
    ])
  })
})
