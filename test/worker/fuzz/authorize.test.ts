import fc from 'fast-check'
import { beforeAll, describe, it } from 'vitest'
import { pkce } from '../helpers/browser'
import { HYBRID_REDIRECT } from '../helpers/hybrid'
import {
  bodyFor,
  clientIp,
  encodeParams,
  hostileString,
  method,
  paramList,
  paramValue,
} from './arbitraries'
import { type Fixtures, fixtures, LOOPBACK_REDIRECT } from './fixtures'
import { checkProperty, exercise, FUZZ_TIMEOUT } from './harness'
import { expectBrowserAnswer } from './invariants'
import { RowCountTracker } from './row-counts'

let f: Fixtures
let challenge: string
const rows = new RowCountTracker()

beforeAll(async () => {
  f = await fixtures()
  ;({ challenge } = await pkce())
}, 60_000)

/** Redirect URIs: registered ones, near misses (A01) and strangers. */
function redirectUris(): string[] {
  return [
    ...f.spa.redirectUris,
    HYBRID_REDIRECT,
    LOOPBACK_REDIRECT,
    'http://127.0.0.1:9999/cb',
    `${f.spa.redirectUris[0]}/`,
    `${f.spa.redirectUris[0]}?x=1`,
    `${f.spa.redirectUris[0]}#frag`,
    f.spa.redirectUris[0]?.toUpperCase() ?? '',
    'https://evil.example/callback',
    'https://web.example.com.evil.example/signin-oidc',
    '//evil.example/cb',
    'javascript:fuzz(1)',
  ]
}

function authorizationParams() {
  return paramList({
    client_id: paramValue(f.spa.id, f.hybrid.id, f.service.id, crypto.randomUUID()),
    redirect_uri: paramValue(...redirectUris()),
    response_type: paramValue('code', 'code id_token', 'token', 'id_token', 'code token'),
    response_mode: paramValue('query', 'fragment', 'form_post', 'jwt'),
    scope: paramValue('openid', 'openid profile email api', 'openid offline_access', 'api', 'x y'),
    state: paramValue('state-1'),
    nonce: paramValue('nonce-1'),
    code_challenge: paramValue(challenge, 'short'),
    code_challenge_method: paramValue('S256', 'plain', 's256'),
    prompt: paramValue('none', 'login', 'consent', 'none login', 'select_account'),
    max_age: paramValue('0', '60', '-1', '99999999999999999999'),
    login_hint: paramValue('admin@demo.example'),
    id_token_hint: paramValue(f.tokens.idToken, f.tokens.userAccess),
  })
}

describe('fuzz: authorization endpoint (GET and POST /authorize)', () => {
  it('A01 A15 never answers 5xx, redirects only to a URI registered for the named client, never reflects a script, refuses with the error page or a redirect, and writes nothing when it refuses', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const request = fc.record({
      method: method(['GET', 'POST']),
      params: authorizationParams(),
      raw: fc.boolean(),
      body: fc.constant(null),
      session: fc.constantFrom('none', 'valid', 'garbage'),
      ip: clientIp,
      seed: fc.nat(),
    })
    const withBody = request.chain((r) =>
      bodyFor(encodeParams(r.params, r.raw)).map((body) => ({ ...r, body })),
    )
    await checkProperty('authorize', withBody, async (r) => {
      const encoded = encodeParams(r.params, r.raw)
      const headers: Record<string, string> = { 'CF-Connecting-IP': r.ip }
      if (r.session === 'valid') headers.Cookie = f.sessionCookie
      if (r.session === 'garbage') headers.Cookie = '__Host-session=garbage; __Host-csrf=x'
      const get = r.method === 'GET' || r.method === 'HEAD'
      if (!get && r.body.contentType !== undefined) headers['Content-Type'] = r.body.contentType
      const result = await exercise(rows, get ? `/authorize?${encoded}` : '/authorize', {
        method: r.method,
        headers,
        ...(!get && r.body.body !== undefined && { body: r.body.body }),
      })
      const named = r.params.filter(([name]) => name === 'client_id').map(([, value]) => value)
      const allowed = named.flatMap((id) => f.registered.get(id) ?? [])
      if (r.method === 'GET' || r.method === 'POST' || r.method === 'HEAD') {
        expectBrowserAnswer(result, allowed)
      }
    })
  })

  it('answers a hostile value in every position without a 5xx (one parameter at a time)', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const names = [
      'client_id',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
      'nonce',
      'code_challenge',
      'prompt',
      'max_age',
      'login_hint',
      'id_token_hint',
      'response_mode',
    ]
    const arbitrary = fc.record({ name: fc.constantFrom(...names), value: hostileString })
    await checkProperty('authorize-one-hostile', arbitrary, async ({ name, value }) => {
      const query = new URLSearchParams({
        client_id: f.spa.id,
        redirect_uri: f.spa.redirectUris[0] ?? '',
        response_type: 'code',
        scope: 'openid',
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })
      query.set(name, value)
      const result = await exercise(rows, `/authorize?${query}`, {
        headers: { Cookie: f.sessionCookie },
      })
      const clientId = query.get('client_id') ?? ''
      expectBrowserAnswer(result, f.registered.get(clientId) ?? [])
    })
  })
})
