import { apiResourceIdentifier } from './audience'
import { DPOP_SIGNING_ALGS } from './dpop'

/**
 * The management API's protected-resource metadata: its identifier (the URL its requests go
 * under, from which the metadata URL is formed), this server as its authorization server, the
 * one scope it accepts, tokens in the `Authorization` header only (RFC 6750 §2.1), DPoP accepted
 * but not required (RFC 9449 §5.2).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-2 RFC 9728 §2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9728#section-3 RFC 9728 §3}
 */
export function buildApiResourceMetadata(issuer: string) {
  return {
    resource: apiResourceIdentifier(issuer),
    authorization_servers: [issuer],
    scopes_supported: ['api'],
    bearer_methods_supported: ['header'],
    resource_name: 'edge-identity management API',
    resource_documentation: `${issuer}/api/v1/reference`,
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    dpop_bound_access_tokens_required: false,
  }
}
