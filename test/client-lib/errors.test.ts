import {
  AuthorizationResponseError,
  OperationProcessingError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { serverError, toAuthClientError } from '../../client-lib/src/errors.js'
import { AuthClientError, isTransient } from '../../client-lib/src/index.js'

const response = (status: number) => new Response(null, { status })

function responseBodyError(status: number, error: string, description?: string) {
  return new ResponseBodyError('server responded with an error', {
    cause: { error, ...(description && { error_description: description }) },
    response: response(status),
  })
}

describe('toAuthClientError()', () => {
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
  ])('classifies the server error %s as %s (RFC 6749 §5.2, OIDC Core §3.1.2.6)', (error, code) => {
    const mapped = toAuthClientError(responseBodyError(400, error, 'why'))
    expect(mapped).toBeInstanceOf(AuthClientError)
    expect(mapped).toMatchObject({ code, error, error_description: 'why', name: 'AuthClientError' })
    expect(mapped.cause).toBeInstanceOf(ResponseBodyError)
  })

  it('keeps the error of a WWW-Authenticate challenge, the original as cause (RFC 6750 §3)', () => {
    const challenge = new WWWAuthenticateChallengeError('challenge', {
      cause: [
        { scheme: 'bearer', parameters: { error: 'invalid_token', error_description: 'expired' } },
      ],
      response: response(401),
    })
    expect(toAuthClientError(challenge)).toMatchObject({
      code: 'oauth_error',
      error: 'invalid_token',
      error_description: 'expired',
      cause: challenge,
    })
  })

  it('treats a challenge without an error parameter as invalid_client (RFC 6749 §5.2)', () => {
    const challenge = new WWWAuthenticateChallengeError('challenge', {
      cause: [{ scheme: 'basic', parameters: { realm: 'token' } }],
      response: response(401),
    })
    expect(toAuthClientError(challenge)).toMatchObject({
      code: 'oauth_error',
      error: 'invalid_client',
    })
  })

  it('classifies a non-conform 5xx answer as a transient server_error', () => {
    const err = new OperationProcessingError('not conform', {
      code: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
      cause: response(503),
    })
    expect(toAuthClientError(err).code).toBe('server_error')
  })

  it('classifies other validation failures as invalid_response, keeping the cause', () => {
    const err = new OperationProcessingError('unexpected JWT "aud"', {
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
    })
    expect(toAuthClientError(err)).toMatchObject({
      code: 'invalid_response',
      message: 'unexpected JWT "aud"',
      cause: err,
    })
    expect(toAuthClientError(new TypeError('bug')).code).toBe('invalid_response')
    expect(toAuthClientError('weird').code).toBe('invalid_response')
  })

  it('passes an AuthClientError through unchanged', () => {
    const err = new AuthClientError('timeout', 'timeout')
    expect(toAuthClientError(err)).toBe(err)
  })

  it('never confuses an authorization response error object with a server answer it did not check', () => {
    // The library checks state and iss itself before reading error; oauth4webapi's
    // AuthorizationResponseError is not expected here and is only an invalid_response.
    const err = new AuthorizationResponseError('x', {
      cause: new URLSearchParams('error=login_required'),
    })
    expect(toAuthClientError(err).code).toBe('invalid_response')
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
