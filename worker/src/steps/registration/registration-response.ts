import type { Client } from '../../domain/client'
import type { StoredRegistrationMetadata } from '../../storage/client-registrations'

/**
 * The client information response (RFC 7591 §3.2.1, RFC 7592 §3): the client id, when it was
 * issued, every registered value (absent ones left out), and the registration access token with
 * the URI to manage the registration.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1 RFC 7591 §3.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-3 RFC 7592 §3}
 */
export function registrationResponse(
  issuer: string,
  client: Client,
  metadata: StoredRegistrationMetadata,
  registrationAccessToken: string,
): Record<string, unknown> {
  const third = client.thirdParty
  return {
    client_id: client.id,
    client_id_issued_at: client.createdAt,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    grant_types: metadata.grantTypes,
    response_types: metadata.responseTypes,
    token_endpoint_auth_method: third?.tokenEndpointAuthMethod ?? 'none',
    ...(third?.jwksUri && { jwks_uri: third.jwksUri }),
    ...(third?.clientUri && { client_uri: third.clientUri }),
    ...(third?.logoUri && { logo_uri: third.logoUri }),
    ...(metadata.scope !== null && { scope: metadata.scope }),
    registration_access_token: registrationAccessToken,
    registration_client_uri: `${issuer}/register/${encodeURIComponent(client.id)}`,
  }
}
