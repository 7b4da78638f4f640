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
    response_types_supported: [] as string[],
    // RFC 9068 §2.1: access tokens are JWTs signed with this algorithm.
    access_token_signing_alg_values_supported: [accessTokenSigningAlg],
  }
}

export type ServerMetadata = ReturnType<typeof buildServerMetadata>
