import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  bodyFor,
  clientIp,
  encodeParams,
  garbageAuthorization,
  headerSafe,
  hostileString,
  method,
  paramList,
  paramValue,
} from './arbitraries'
import { type Fixtures, fixtures } from './fixtures'
import { checkProperty, exercise, FUZZ_TIMEOUT } from './harness'
import { expectBearerChallenge, expectOAuthJson } from './invariants'
import { RowCountTracker } from './row-counts'

let f: Fixtures
const rows = new RowCountTracker()

beforeAll(async () => {
  f = await fixtures()
}, 60_000)

/** Where the access token goes: the header (right or garbage), the body, the query, or nowhere. */
const tokenPlace = fc.constantFrom('header', 'body', 'query', 'both', 'none', 'garbage')

describe('fuzz: UserInfo endpoint', () => {
  it('answers claims or an RFC 6750 error (JSON, a Bearer challenge on 401), never 5xx, and writes nothing (OIDC Core §5.3, RFC 6750 §3)', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc
      .record({
        method: method(['GET', 'POST']),
        place: tokenPlace,
        token: paramValue(
          f.tokens.userAccess,
          f.tokens.serviceAccess,
          f.tokens.idToken,
          f.tokens.hybridAccess,
          f.tokens.refreshToken,
        ),
        garbage: garbageAuthorization,
        extra: paramList({ access_token: hostileString, scope: paramValue('openid') }),
        ip: clientIp,
        origin: paramValue('http://localhost:5173', 'https://evil.example', 'null'),
      })
      .chain((r) => {
        const pairs: [string, string][] =
          r.place === 'body' || r.place === 'both'
            ? [['access_token', r.token], ...r.extra]
            : r.extra
        return bodyFor(encodeParams(pairs, false)).map((body) => ({ ...r, body }))
      })
    await checkProperty('userinfo', arbitrary, async (r) => {
      const headers: Record<string, string> = { 'CF-Connecting-IP': r.ip }
      if (r.place === 'header' || r.place === 'both')
        headers.Authorization = `Bearer ${headerSafe(r.token)}`
      if (r.place === 'garbage') headers.Authorization = r.garbage
      if (r.origin !== '') headers.Origin = headerSafe(r.origin)
      const sendsBody = r.method !== 'GET' && r.method !== 'HEAD'
      if (sendsBody && r.body.contentType !== undefined)
        headers['Content-Type'] = r.body.contentType
      const query = r.place === 'query' ? `?${new URLSearchParams({ access_token: r.token })}` : ''
      const result = await exercise(rows, `/userinfo${query}`, {
        method: r.method,
        headers,
        ...(sendsBody && r.body.body !== undefined && { body: r.body.body }),
      })
      if (r.method === 'HEAD') return
      if (result.status === 200) {
        expect(result.headers.get('Content-Type')).toMatch(/^application\/json\b/)
        expect(JSON.parse(result.body)).toHaveProperty('sub')
        return
      }
      expectOAuthJson(result)
      expectBearerChallenge(result)
    })
  })
})
