import { describe, expect, it } from 'vitest'
import { readTokenResponse } from '../../client-lib/src/code-exchange.js'
import { serverError, toAuthClientError } from '../../client-lib/src/errors.js'
import { AuthClientError, isTransient } from '../../client-lib/src/index.js'

const errorResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (err: unknown) => err as AuthClientError,
  )

describe('readTokenResponse()', () => {
  it.each([
    ['login_required', 'interaction_required'],
    ['consent_required', 'interaction_required'],
    ['interaction_required', 'interaction_required'],
    ['account_selection_required', 'interaction_required'],
    ['server_error', 'server_error'],
    ['temporarily_unavailable', 'server_error'],
    ['invalid_grant', 'oauth_error'],
    ['access_denied', 'oauth_error'],
    ['invalid_request', 'oauth_error'],
  ])(
    'classifies the server error %s as %s (RFC 6749 §5.2, OIDC Core §3.1.2.6)',
    async (error, code) => {
      const mapped = await failure(
        readTokenResponse(errorResponse(400, { error, error_description: 'why' })),
      )
      expect(mapped).toBeInstanceOf(AuthClientError)
      expect(mapped).toMatchObject({
        code,
        error,
        error_description: 'why',
        name: 'AuthClientError',
      })
      expect(mapped?.cause).toEqual({ error, error_description: 'why' })
    },
  )

  it('takes the error of a 401 WWW-Authenticate challenge without a JSON body (RFC 6750 §3)', async () => {
    const answer = new Response('', {
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="x"' },
    })
    expect(await failure(readTokenResponse(answer))).toMatchObject({
      code: 'oauth_error',
      error: 'invalid_token',
    })
  })

  it('treats a challenge without an error parameter as invalid_client (RFC 6749 §5.2)', async () => {
    const answer = new Response('', {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="token"' },
    })
    expect(await failure(readTokenResponse(answer))).toMatchObject({
      code: 'oauth_error',
      error: 'invalid_client',
    })
  })

  it('classifies a 5xx answer without an error as a transient server_error', async () => {
    expect(
      (await failure(readTokenResponse(new Response('<h1>down</h1>', { status: 503 }))))?.code,
    ).toBe('server_error')
  })

  it('refuses a success without a Bearer access token (RFC 6749 §5.1, RFC 6750 §4)', async () => {
    for (const body of [
      { token_type: 'Bearer' },
      { access_token: 'at', token_type: 'DPoP' },
      { access_token: 'at', token_type: ['Bearer'] },
    ]) {
      expect((await failure(readTokenResponse(errorResponse(200, body))))?.code).toBe(
        'invalid_response',
      )
    }
    await expect(
      readTokenResponse(errorResponse(200, { access_token: 'at', token_type: 'bearer' })),
    ).resolves.toMatchObject({ access_token: 'at' })
  })

  it('accepts a DPoP access token only when a DPoP proof was sent (RFC 9449 §5)', async () => {
    const body = { access_token: 'at', token_type: 'DPoP' }
    await expect(readTokenResponse(errorResponse(200, body), true)).resolves.toMatchObject(body)
    expect((await failure(readTokenResponse(errorResponse(200, body), false)))?.code).toBe(
      'invalid_response',
    )
  })
})

describe('toAuthClientError()', () => {
  it('classifies other failures as invalid_response, keeping the cause', () => {
    const err = new SyntaxError('Unexpected token')
    expect(toAuthClientError(err)).toMatchObject({
      code: 'invalid_response',
      message: 'Unexpected token',
      cause: err,
    })
    expect(toAuthClientError(new TypeError('bug')).code).toBe('invalid_response')
    expect(toAuthClientError('weird').code).toBe('invalid_response')
  })

  it('makes a passed deadline (AbortSignal.timeout) a transient timeout', () => {
    const err = new DOMException('The operation timed out.', 'TimeoutError')
    expect(toAuthClientError(err)).toMatchObject({ code: 'timeout', cause: err })
  })

  it('passes an AuthClientError through unchanged', () => {
    const err = new AuthClientError('timeout', 'timeout')
    expect(toAuthClientError(err)).toBe(err)
  })
})

describe('serverError()', () => {
  it('makes an HTTP 5xx transient whatever the error code', () => {
    expect(serverError('invalid_request', undefined, null, 503).code).toBe('server_error')
    expect(serverError('invalid_request', undefined, null, 400).code).toBe('oauth_error')
  })
})

describe('isTransient()', () => {
  it('is true only for timeout, network and server_error: the cases never to sign out on', () => {
    const codes = [
      'interaction_required',
      'third_party_cookies_unavailable',
      'timeout',
      'frame_blocked',
      'network',
      'server_error',
      'oauth_error',
      'invalid_response',
      'subject_changed',
    ] as const
    const transient = codes.filter((code) => isTransient(new AuthClientError(code, code)))
    expect(transient).toEqual(['timeout', 'network', 'server_error'])
  })
})
