import { describe, expect, it } from 'vitest'
import { parseTokenRequest } from '../../../worker/src/domain/token-request'
import { OAuthError } from '../../../worker/src/errors'

function refusal(params: Record<string, string>): { code: string; description: string } {
  try {
    parseTokenRequest(new Map(Object.entries(params)))
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    return { code: error.code, description: error.description ?? '' }
  }
  throw new Error('not refused')
}

describe('parseTokenRequest (RFC 6749 §5.2)', () => {
  it('reads each grant into its own shape', () => {
    expect(
      parseTokenRequest(
        new Map([
          ['grant_type', 'authorization_code'],
          ['code', 'c'],
          ['redirect_uri', 'https://app.example/cb'],
        ]),
      ),
    ).toEqual({
      grantType: 'authorization_code',
      code: 'c',
      redirectUri: 'https://app.example/cb',
      codeVerifier: undefined,
      resources: [],
    })
    expect(
      parseTokenRequest(
        new Map([
          ['grant_type', 'refresh_token'],
          ['refresh_token', 'r'],
          ['scope', 'openid'],
        ]),
      ),
    ).toEqual({ grantType: 'refresh_token', refreshToken: 'r', scope: 'openid', resources: [] })
    expect(parseTokenRequest(new Map([['grant_type', 'client_credentials']]))).toEqual({
      grantType: 'client_credentials',
      scope: undefined,
      resources: [],
    })
  })

  it('D12 answers a missing grant_type with invalid_request and an unknown one with unsupported_grant_type', () => {
    expect(refusal({})).toEqual({ code: 'invalid_request', description: 'grant_type is required' })
    expect(refusal({ grant_type: 'password' }).code).toBe('unsupported_grant_type')
  })

  it("names the grant's missing parameter", () => {
    expect(refusal({ grant_type: 'authorization_code' })).toEqual({
      code: 'invalid_request',
      description: 'code is required',
    })
    expect(refusal({ grant_type: 'refresh_token' })).toEqual({
      code: 'invalid_request',
      description: 'refresh_token is required',
    })
  })

  it('refuses oversized values, naming the parameter', () => {
    expect(refusal({ grant_type: 'refresh_token', refresh_token: 'r'.repeat(513) })).toEqual({
      code: 'invalid_request',
      description: 'refresh_token must be at most 512 characters',
    })
    expect(
      refusal({ grant_type: 'authorization_code', code: 'c', redirect_uri: 'u'.repeat(2049) })
        .description,
    ).toBe('redirect_uri must be at most 2048 characters')
    expect(refusal({ grant_type: 'client_credentials', scope: 's'.repeat(1025) }).code).toBe(
      'invalid_request',
    )
  })

  it('B05 refuses a malformed code_verifier (RFC 7636 §4.1)', () => {
    expect(
      refusal({ grant_type: 'authorization_code', code: 'c', code_verifier: 'short' }).code,
    ).toBe('invalid_grant')
  })
})
