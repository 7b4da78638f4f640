import { beforeAll, describe, expect, it } from 'vitest'
import { HYBRID_REDIRECT } from '../helpers/hybrid'
import { encodeParams, paramList, paramValue } from './arbitraries'
import { formRequest, toInit } from './back-channel'
import { type Fixtures, fixtures, mintCode } from './fixtures'
import { checkProperty, exercise, FUZZ_TIMEOUT } from './harness'
import { expectOAuthJson } from './invariants'
import { RowCountTracker } from './row-counts'

let f: Fixtures
const rows = new RowCountTracker()

beforeAll(async () => {
  f = await fixtures()
}, 60_000)

/** Placeholders the predicate replaces with a freshly minted code and its verifier. */
const FRESH_SPA_CODE = 'fresh-spa-code'
const FRESH_HYBRID_CODE = 'fresh-hybrid-code'
const VERIFIER = 'the-fresh-verifier'

function tokenParams() {
  return paramList({
    grant_type: paramValue(
      'client_credentials',
      'authorization_code',
      'refresh_token',
      'password',
      'urn:ietf:params:oauth:grant-type:device_code',
    ),
    code: paramValue(FRESH_SPA_CODE, FRESH_HYBRID_CODE, 'spent-or-unknown-code'),
    code_verifier: paramValue(VERIFIER, 'a'.repeat(43), 'short'),
    redirect_uri: paramValue(...f.spa.redirectUris, HYBRID_REDIRECT, 'https://evil.example/cb'),
    client_id: paramValue(f.spa.id, f.hybrid.id, f.service.id),
    client_secret: paramValue(f.service.secret, f.hybrid.secret.value, 'wrong'),
    refresh_token: paramValue(
      f.tokens.refreshToken,
      f.tokens.spentRefreshToken,
      f.tokens.userAccess,
    ),
    scope: paramValue('api', 'openid', 'openid offline_access', 'api openid', 'x"y'),
    resource: paramValue('http://localhost:8787/api', 'https://mcp.example/', 'not a uri'),
  })
}

describe('fuzz: token endpoint (every grant)', () => {
  it('D10 D11 answers every request with RFC 6749 JSON that is never cached, never 5xx, and writes nothing when it refuses (RFC 6749 §5.1, §5.2)', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    await checkProperty('token', formRequest(tokenParams()), async (r) => {
      const pairs = await withFreshCode(r.pairs)
      // The body is rebuilt around the fresh code; its shape (type, malformation) is kept.
      const body =
        r.body.body === encodeParams(r.pairs, r.raw)
          ? { ...r.body, body: encodeParams(pairs, r.raw) }
          : r.body
      const result = await exercise(rows, '/token', toInit(r, f, body))
      if (r.method === 'HEAD') return
      expectOAuthJson200Or(result)
    })
  })
})

/** Success is a token response; anything else an RFC 6749 §5.2 error. */
function expectOAuthJson200Or(result: Awaited<ReturnType<typeof exercise>>) {
  if (result.status === 200) {
    expect(result.headers.get('Content-Type')).toMatch(/^application\/json\b/)
    expect(result.headers.get('Cache-Control')).toBe('no-store')
    expect(JSON.parse(result.body)).toHaveProperty('access_token')
    return
  }
  expect(result.status, result.body).toBeGreaterThanOrEqual(400)
  expectOAuthJson(result)
}

/** Replaces the fresh-code placeholders by real codes (a setup write: counts are read again). */
async function withFreshCode(pairs: [string, string][]): Promise<[string, string][]> {
  const wanted = pairs.find(([name, value]) => name === 'code' && value.startsWith('fresh-'))
  if (wanted === undefined) return pairs
  const minted =
    wanted[1] === FRESH_SPA_CODE
      ? await mintCode(f.sessionCookie, f.spa.id, f.spa.redirectUris[0] ?? '')
      : await mintCode(f.sessionCookie, f.hybrid.id, HYBRID_REDIRECT, {
          scope: 'openid offline_access',
        })
  rows.invalidate()
  return pairs.map(([name, value]): [string, string] =>
    value === FRESH_SPA_CODE || value === FRESH_HYBRID_CODE
      ? [name, minted.code]
      : value === VERIFIER
        ? [name, minted.verifier]
        : [name, value],
  )
}
