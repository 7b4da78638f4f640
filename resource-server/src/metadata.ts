const WELL_KNOWN = '/.well-known/oauth-protected-resource'

/**
 * The URL of a resource's metadata: the well-known path inserted between the host and the
 * resource identifier's path (and query), a lone `/` path dropped (RFC 9728 §3.1).
 * `https://api.example/mcp` gives `https://api.example/.well-known/oauth-protected-resource/mcp`.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-3.1 RFC 9728 §3.1}
 */
export function metadataUrl(resource: string): URL {
  const url = new URL(resource)
  const path = url.pathname === '/' ? '' : url.pathname
  return new URL(`${url.origin}${WELL_KNOWN}${path}${url.search}`)
}

/** The fields of RFC 9728 §2 this package fills in. */
export interface ProtectedResourceMetadata {
  resource: string
  authorization_servers: string[]
  scopes_supported?: string[]
  bearer_methods_supported: string[]
  resource_name?: string
  resource_documentation?: string
  dpop_signing_alg_values_supported?: string[]
  dpop_bound_access_tokens_required?: boolean
}

/** What the metadata document is made of, from the options of `protectedResource`. */
export interface MetadataInput {
  resource: string
  issuer: string
  scopesSupported?: readonly string[]
  resourceName?: string
  resourceDocumentation?: string
  /** Undefined when DPoP-bound tokens are not accepted. */
  dpopAlgorithms?: readonly string[]
  dpopRequired: boolean
}

/**
 * The protected-resource metadata document: the resource, its authorization server, the scopes
 * it knows, tokens in the `Authorization` header only (RFC 6750 §2.1), and the DPoP algorithms
 * accepted in proofs (RFC 9449 §5.1) when DPoP is on.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-2 RFC 9728 §2}
 */
export function buildMetadata(input: MetadataInput): ProtectedResourceMetadata {
  return {
    resource: input.resource,
    authorization_servers: [input.issuer],
    ...(input.scopesSupported && { scopes_supported: [...input.scopesSupported] }),
    bearer_methods_supported: ['header'],
    ...(input.resourceName !== undefined && { resource_name: input.resourceName }),
    ...(input.resourceDocumentation !== undefined && {
      resource_documentation: input.resourceDocumentation,
    }),
    ...(input.dpopAlgorithms && {
      dpop_signing_alg_values_supported: [...input.dpopAlgorithms],
      dpop_bound_access_tokens_required: input.dpopRequired,
    }),
  }
}
