import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { HYBRID_REDIRECT } from '../helpers/hybrid'
import { basic } from '../helpers/tenant'
import { encodeParams, hostileString, paramList, paramValue } from './arbitraries'
import { formRequest, toInit } from './back-channel'
import { type Fixtures, fixtures, mintCode } from './fixtures'
import { checkProperty, exercise, FUZZ_TIMEOUT, send } from './harness'
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

  it('D10 D11 answers a valid request of each grant with 200, and with one parameter changed, dropped or repeated in RFC 6749 JSON, writing nothing when it refuses', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc.record({
      grant: fc.constantFrom('client_credentials', 'authorization_code', 'refresh_token'),
      change: fc.constantFrom('none', 'replace', 'drop', 'repeat'),
      position: fc.nat(),
      value: hostileString,
    })
    await checkProperty('token-one-change', arbitrary, async (r) => {
      const { pairs, authorization } = await validRequest(r.grant)
      const at = r.position % pairs.length
      const [name = '', value = ''] = pairs[at] ?? []
      const changed: [string, string][] =
        r.change === 'none'
          ? pairs
          : r.change === 'drop'
            ? pairs.filter((_, i) => i !== at)
            : r.change === 'repeat'
              ? [...pairs, [name, value]]
              : pairs.map((pair, i): [string, string] => (i === at ? [name, r.value] : pair))
      const result = await exercise(rows, '/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(authorization !== undefined && { Authorization: authorization }),
        },
        body: encodeParams(changed, false),
      })
      // Unchanged, the request succeeds: the cases around it start from a working request.
      if (r.change === 'none') expect(result.status, result.body).toBe(200)
      expectOAuthJson200Or(result)
    })
  })
})

/**
 * A request of the grant that succeeds as it is: the service's client credentials, a fresh SPA
 * code with its verifier, a fresh hybrid refresh token (setup writes: counts are read again).
 */
async function validRequest(grant: string) {
  if (grant === 'client_credentials') {
    return {
      pairs: [
        ['grant_type', grant],
        ['scope', 'api'],
      ] as [string, string][],
      authorization: basic(f.service.id, f.service.secret),
    }
  }
  rows.invalidate()
  if (grant === 'authorization_code') {
    const redirectUri = f.spa.redirectUris[0] ?? ''
    const { code, verifier } = await mintCode(f.sessionCookie, f.spa.id, redirectUri)
    return {
      pairs: [
        ['grant_type', grant],
        ['code', code],
        ['redirect_uri', redirectUri],
        ['client_id', f.spa.id],
        ['code_verifier', verifier],
      ] as [string, string][],
      authorization: undefined,
    }
  }
  const { code, verifier } = await mintCode(f.sessionCookie, f.hybrid.id, HYBRID_REDIRECT, {
    scope: 'openid offline_access',
  })
  const authorization = basic(f.hybrid.id, f.hybrid.secret.value)
  const tokens = (await (
    await send('/token', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: authorization,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: HYBRID_REDIRECT,
        code_verifier: verifier,
      }).toString(),
    })
  ).json()) as { refresh_token: string }
  return {
    pairs: [
      ['grant_type', grant],
      ['refresh_token', tokens.refresh_token],
    ] as [string, string][],
    authorization,
  }
}

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
