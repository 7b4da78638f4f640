/**
 * The authorization server's metadata: exactly what this server implements, nothing more
 * (checklist I01-I04). Endpoints are added here when they exist, and a test fetches every URL
 * this document names.
 * @see RFC 8414 §2, OpenID Connect Discovery 1.0 §3
 */
export function buildServerMetadata(issuer: string, accessTokenSigningAlg: string) {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/token`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    response_types_supported: [] as string[],
    scopes_supported: ['api'],
    // RFC 9068 §2.1: access tokens are JWTs signed with this algorithm.
    access_token_signing_alg_values_supported: [accessTokenSigningAlg],
  }
}

export type ServerMetadata = ReturnType<typeof buildServerMetadata>
