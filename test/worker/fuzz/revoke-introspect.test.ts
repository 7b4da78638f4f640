import { beforeAll, describe, expect, it } from 'vitest'
import { paramList, paramValue } from './arbitraries'
import { formRequest, toInit } from './back-channel'
import { type Fixtures, fixtures } from './fixtures'
import { type Answer, checkProperty, exercise, FUZZ_TIMEOUT } from './harness'
import { expectOAuthJson } from './invariants'
import { RowCountTracker } from './row-counts'

let f: Fixtures
const rows = new RowCountTracker()

beforeAll(async () => {
  f = await fixtures()
}, 60_000)

function tokenParams() {
  return paramList({
    token: paramValue(
      f.tokens.userAccess,
      f.tokens.idToken,
      f.tokens.serviceAccess,
      f.tokens.hybridAccess,
      f.tokens.refreshToken,
      f.tokens.spentRefreshToken,
    ),
    token_type_hint: paramValue('access_token', 'refresh_token', 'id_token'),
    client_id: paramValue(f.spa.id, f.hybrid.id, f.service.id),
    client_secret: paramValue(f.service.secret, f.hybrid.secret.value, 'wrong'),
  })
}

/** Errors are RFC 6749 §5.2 JSON (RFC 7009 §2.2.1, RFC 7662 §2.3), never cached. */
function expectErrorJson(result: Answer) {
  if (result.method === 'HEAD' || result.status < 400) return
  expectOAuthJson(result)
}

describe('fuzz: revocation and introspection endpoints', () => {
  it('revocation answers 200 or RFC 6749 JSON errors, never 5xx, and writes nothing when it refuses (RFC 7009 §2.2)', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    await checkProperty('revoke', formRequest(tokenParams()), async (r) => {
      const result = await exercise(rows, '/revoke', toInit(r, f))
      if (result.status < 400) expect(result.status).toBe(200)
      expectErrorJson(result)
    })
  })

  it('introspection answers JSON that is never cached, errors in RFC 6749 JSON, never 5xx, and writes nothing when it refuses (RFC 7662 §2.2, §2.3)', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    await checkProperty('introspect', formRequest(tokenParams()), async (r) => {
      const result = await exercise(rows, '/introspect', toInit(r, f))
      if (result.status === 200) {
        expect(result.headers.get('Cache-Control')).toBe('no-store')
        expect(typeof (JSON.parse(result.body) as { active: unknown }).active).toBe('boolean')
      }
      expectErrorJson(result)
    })
  })
})
