import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ISSUER } from '../helpers/worker'
import { fixtures } from './fixtures'
import { answer } from './harness'
import { expectErrorPage } from './invariants'

/**
 * Found by the fuzz suite (browser-forms.test.ts, set-password property): a POST to
 * /account/set-password whose multipart/form-data body is malformed answers
 * 500 `{"error":"server_error"}` (application/json) instead of the error page. The route reads
 * the body with `c.req.parseBody()`, which throws workerd's TypeError ("No subsequent boundary
 * string after multipart message.") before the CSRF check; the renderer turns it into a 500.
 * A well-formed body with a part named "" fails the same way.
 * Expected: a 4xx HTML page (the "request refused" page, 400 or 403), like every other bad form.
 */
const MALFORMED = [
  {
    contentType: 'multipart/form-data; boundary=fuzz',
    body: '--fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n',
  },
  { contentType: 'multipart/form-data', body: 'no boundary at all' },
  { contentType: 'multipart/form-data; boundary=x', body: '--y\r\n\r\n--y--' },
  {
    contentType: 'multipart/form-data; boundary=b',
    body: '--b\r\nContent-Disposition: form-data; name=""\r\n\r\n\r\n--b--\r\n',
  },
]

beforeAll(async () => {
  await fixtures()
}, 60_000)

describe('N07 the set-password form refuses a malformed multipart body (found by fuzzing)', () => {
  it.each(MALFORMED)(
    'N07 answers a malformed multipart/form-data body with a 4xx error page, not a 500 (%#)',
    async ({ contentType, body }) => {
      const result = await answer('/account/set-password', {
        method: 'POST',
        headers: { 'Content-Type': contentType, Origin: ISSUER },
        body,
      })
      expect(result.status).toBeGreaterThanOrEqual(400)
      expect(result.status).toBeLessThan(500)
      expectErrorPage(result)
    },
  )

  it('N07 answers every truncated multipart/form-data body without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), async (tail) => {
        const result = await answer('/account/set-password', {
          method: 'POST',
          headers: { 'Content-Type': 'multipart/form-data; boundary=b', Origin: ISSUER },
          body: `--b\r\nContent-Disposition: form-data; name="token"\r\n\r\n${tail}`,
        })
        expect(result.status).toBeLessThan(500)
      }),
      { numRuns: 50 },
    )
  })
})
