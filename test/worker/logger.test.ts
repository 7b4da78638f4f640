import { errors } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { OAuthError } from '../../worker/src/errors'
import { createLogger } from '../../worker/src/logger'

/** The JSON lines written to `console.error` while `write` runs. */
function linesOf(write: () => void): Record<string, unknown>[] {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
  write()
  return spy.mock.calls.map(([line]) => JSON.parse(String(line)))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the structured logger', () => {
  it('logs an error by name, code, message and cause, so a minified class name still says what failed', () => {
    const expired = new errors.JWTExpired('"exp" claim timestamp check failed', {})
    const [line] = linesOf(() =>
      createLogger('info').error('token.refused', {
        error: new OAuthError('invalid_grant', 'The code expired', { cause: expired }),
      }),
    )
    expect(line?.error).toMatchObject({
      name: 'OAuthError',
      code: 'invalid_grant',
      message: 'The code expired',
      cause: {
        name: expired.name,
        code: 'ERR_JWT_EXPIRED',
        message: '"exp" claim timestamp check failed',
      },
    })
  })

  it('C07 never writes secrets, tokens, codes or cookies, at any depth', () => {
    const [line] = linesOf(() =>
      createLogger('info', { service: 'test' })
        .child({ requestId: 'r1' })
        .error('oops', {
          client: { id: 'c1', secret: 's3cret' },
          refresh_token: 'rt',
          code: 'abc',
          headers: { Authorization: 'Basic x', Cookie: 'sid=1' },
        }),
    )
    expect(line).toMatchObject({
      level: 'error',
      event: 'oops',
      service: 'test',
      requestId: 'r1',
      client: { id: 'c1', secret: '[redacted]' },
      refresh_token: '[redacted]',
      code: '[redacted]',
      headers: { Authorization: '[redacted]', Cookie: '[redacted]' },
    })
    expect(JSON.stringify(line)).not.toMatch(/s3cret|Basic x|sid=1/)
  })

  it('writes nothing below its level', () => {
    expect(linesOf(() => createLogger('error').warn('ignored'))).toEqual([])
  })
})
