import { OAuthError } from '../errors'
import { assertMaxLength, assertPresent } from './assert-parameter'
import type { FormParams } from './form-body'
import { isCodeVerifier } from './pkce'
import { checkResourceIndicators } from './resource'

/**
 * The authorization_code grant's parameters (RFC 6749 §4.1.3, RFC 7636 §4.5).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 RFC 6749 §4.1.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.5 RFC 7636 §4.5}
 */
export interface AuthorizationCodeRequest {
  grantType: 'authorization_code'
  code: string
  /** Required when the authorization request named one. */
  redirectUri: string | undefined
  codeVerifier: string | undefined
  /** RFC 8707 §2: the resources the access token is for; none for the default audience. */
  resources: string[]
}

/**
 * The refresh_token grant's parameters (RFC 6749 §6).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 RFC 6749 §6}
 */
export interface RefreshTokenRequest {
  grantType: 'refresh_token'
  refreshToken: string
  scope: string | undefined
  /** RFC 8707 §2: the resources the access token is for; none for the default audience. */
  resources: string[]
}

/**
 * The client_credentials grant's parameters (RFC 6749 §4.4.2).
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2 RFC 6749 §4.4.2}
 */
export interface ClientCredentialsRequest {
  grantType: 'client_credentials'
  scope: string | undefined
  /** RFC 8707 §2: the resources the access token is for; none for the default audience. */
  resources: string[]
}

/** A token request, keyed on its `grant_type`, with each grant's parameters checked. */
export type TokenRequest = AuthorizationCodeRequest | RefreshTokenRequest | ClientCredentialsRequest

export type GrantType = TokenRequest['grantType']

/**
 * Bounds far above any value this server issues (codes and refresh tokens are 43 characters) or
 * accepts (redirect URIs, scopes), so oversized input is refused before it is hashed or compared.
 */
const MAX_TOKEN_LENGTH = 512
const MAX_REDIRECT_URI_LENGTH = 2048
const MAX_SCOPE_LENGTH = 1024

/**
 * Reads a token request's grant from its form, in one place: `grant_type` is required and must be
 * one this server supports (`unsupported_grant_type`), and each grant's own parameters are
 * asserted present and bounded here, naming the parameter (`invalid_request`); `resource`
 * values are checked as RFC 8707 indicators (`invalid_target`). Client credentials are read apart
 * (steps/read-client-credentials.ts), for every grant alike.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2}
 */
export function parseTokenRequest(
  params: FormParams,
  resourceValues: readonly string[] = [],
): TokenRequest {
  const grantType = params.get('grant_type')
  assertPresent(grantType, 'grant_type')
  // RFC 8707 §2: a malformed resource is invalid_target, whatever the grant.
  const resources = checkResourceIndicators(resourceValues)
  switch (grantType) {
    case 'authorization_code': {
      const code = params.get('code')
      assertPresent(code, 'code')
      assertMaxLength(code, 'code', MAX_TOKEN_LENGTH)
      const redirectUri = params.get('redirect_uri')
      assertMaxLength(redirectUri, 'redirect_uri', MAX_REDIRECT_URI_LENGTH)
      const codeVerifier = params.get('code_verifier')
      // RFC 7636 §4.1: 43 to 128 unreserved characters (checklist B05).
      if (codeVerifier !== undefined && !isCodeVerifier(codeVerifier)) {
        throw new OAuthError('invalid_grant', 'code_verifier is malformed')
      }
      return { grantType, code, redirectUri, codeVerifier, resources }
    }
    case 'refresh_token': {
      const refreshToken = params.get('refresh_token')
      assertPresent(refreshToken, 'refresh_token')
      assertMaxLength(refreshToken, 'refresh_token', MAX_TOKEN_LENGTH)
      return { grantType, refreshToken, scope: boundedScope(params), resources }
    }
    case 'client_credentials':
      return { grantType, scope: boundedScope(params), resources }
    default:
      throw new OAuthError('unsupported_grant_type', 'This grant_type is not supported')
  }
}

function boundedScope(params: FormParams): string | undefined {
  const scope = params.get('scope')
  assertMaxLength(scope, 'scope', MAX_SCOPE_LENGTH)
  return scope
}
