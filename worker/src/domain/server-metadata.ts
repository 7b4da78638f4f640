import { apiResourceIdentifier } from './audience'
import { CLIENT_ASSERTION_SIGNING_ALGS } from './client-assertion'
import { DPOP_SIGNING_ALGS } from './dpop'

/**
 * The authorization server's metadata: exactly what this server implements, nothing more
 * (checklist I01-I04). Endpoints are added here when they exist, and a test fetches every URL
 * this document names.
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-2 RFC 8414 §2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-4 RFC 9728 §4}
 * @see {@link https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 *   OIDC Discovery §3}
 */
export function buildServerMetadata(issuer: string, accessTokenSigningAlg: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    end_session_endpoint: `${issuer}/end_session`,
    revocation_endpoint: `${issuer}/revoke`,
    revocation_endpoint_auth_methods_supported: [
      'none',
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ],
    revocation_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_SIGNING_ALGS],
    introspection_endpoint: `${issuer}/introspect`,
    // RFC 7591 §3: advertised for every tenant; registering needs an initial access token of a
    // tenant that turned dynamic registration on (issue 17).
    registration_endpoint: `${issuer}/register`,
    introspection_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ],
    introspection_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_SIGNING_ALGS],
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'api'],
    response_types_supported: ['code', 'code id_token'],
    response_modes_supported: ['query', 'fragment', 'form_post', 'web_message'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: [
      'none',
      'client_secret_basic',
      'client_secret_post',
      // RFC 7523 §2.2: third-party clients that registered a jwks_uri (issue 17).
      'private_key_jwt',
    ],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_ASSERTION_SIGNING_ALGS],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    // RFC 9068 §2.1: access tokens are JWTs signed with this algorithm.
    access_token_signing_alg_values_supported: [accessTokenSigningAlg],
    // RFC 9449 §5.1: the algorithms accepted in DPoP proofs.
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'amr',
      'nonce',
      'azp',
      'sid',
      'name',
      'email',
    ],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    // RFC 9207: every authorization response, errors included, carries iss.
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    service_documentation: `${issuer}/api/v1/reference`,
    // RFC 9728 §4: the protected resource of this server itself (tenants' own resources, named
    // with RFC 8707 `resource`, are per tenant and not listed here).
    protected_resources: [apiResourceIdentifier(issuer)],
    // draft-ietf-oauth-client-id-metadata-document §5: a client_id may be an https URL.
    client_id_metadata_document_supported: true,
  }
}

export type ServerMetadata = ReturnType<typeof buildServerMetadata>
