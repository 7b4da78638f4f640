import { sha256 } from '../../crypto/hash'
import { randomId, randomToken } from '../../crypto/random'
import type { Deps } from '../../deps'
import { addressKey } from '../../domain/address-key'
import { newClient } from '../../domain/client'
import { parseRegistrationMetadata } from '../../domain/registration-metadata'
import { OAuthError } from '../../errors'
import { insertRegistrationStatement } from '../../storage/client-registrations'
import { insertClient } from '../../storage/clients'
import { spendInitialAccessToken } from '../../storage/initial-access-tokens'
import { limitRegistrations } from './limit-registrations'
import { registrationResponse } from './registration-response'

/** The Bearer challenge of the registration endpoints (RFC 6750 §3). */
export const registrationChallenge = (error?: string) => ({
  'WWW-Authenticate': error === undefined ? 'Bearer' : `Bearer error="${error}"`,
})

/** What a registration request presents, as the route read it. */
export interface RegistrationRequest {
  /** The initial access token (Bearer), if any. */
  initialAccessToken: string | undefined
  /** The parsed JSON body. */
  body: unknown
  /** The caller's address (routes/client-ip.ts), for the per-address limit. */
  ip: string
}

/**
 * Registers a client (RFC 7591 §3): an initial access token is required (401 invalid_token
 * without one, or with an unknown, expired, revoked or used-up one; 403 when its tenant has
 * dynamic registration off); the metadata is validated (400 invalid_redirect_uri,
 * invalid_client_metadata); registrations per address are limited (429); then one use of the
 * token is spent and the client is written with the hash of its registration access token, in
 * its tenant, as a public `authorization-code` client registered `dynamic`.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 RFC 7591 §3}
 */
export async function registerClient(
  deps: Deps,
  request: RegistrationRequest,
): Promise<Record<string, unknown>> {
  if (request.initialAccessToken === undefined) {
    throw new OAuthError('invalid_token', 'An initial access token is required', {
      headers: registrationChallenge(),
    })
  }
  const parsed = parseRegistrationMetadata(request.body)
  if (!parsed.ok) throw new OAuthError(parsed.refusal.error, parsed.refusal.description)
  const now = deps.now()
  await limitRegistrations(deps, addressKey(request.ip), now)

  const spent = await spendInitialAccessToken(
    deps.db,
    await sha256(request.initialAccessToken),
    now,
  )
  if (spent === 'invalid-token') {
    throw new OAuthError('invalid_token', 'The initial access token is not valid', {
      headers: registrationChallenge('invalid_token'),
    })
  }
  if (spent === 'registration-disabled') {
    throw new OAuthError('access_denied', 'Dynamic registration is off for this tenant', {
      status: 403,
    })
  }

  const { metadata } = parsed
  const client = newClient(
    {
      id: randomId(),
      tenantId: spent.tenantId,
      type: 'authorization-code',
      name: metadata.clientName,
      roleIds: [],
      redirectUris: metadata.redirectUris,
      // RFC 7591 §2: a client that did not register the refresh_token grant never gets one.
      allowRefreshToken: metadata.grantTypes.includes('refresh_token'),
      thirdParty: {
        registration: 'dynamic',
        tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
        jwksUri: metadata.jwksUri,
        logoUri: metadata.logoUri,
        clientUri: metadata.clientUri,
      },
    },
    now,
  )
  const stored = {
    grantTypes: metadata.grantTypes,
    responseTypes: metadata.responseTypes,
    scope: metadata.scope,
  }
  const registrationAccessToken = randomToken()
  const outcome = await insertClient(
    deps.db,
    client,
    undefined,
    {
      tenantId: client.tenantId,
      actorType: 'client',
      actorId: client.id,
      action: 'client.registered',
      targetType: 'client',
      targetId: client.id,
      requestId: deps.requestId,
      details: { initialAccessTokenId: spent.id, name: client.name },
      occurredAt: now,
    },
    [
      insertRegistrationStatement(deps.db, {
        clientId: client.id,
        tenantId: client.tenantId,
        tokenHash: await sha256(registrationAccessToken),
        initialAccessTokenId: spent.id,
        metadata: stored,
        registeredAt: now,
      }),
    ],
  )
  if (outcome === 'limit-reached') {
    throw new OAuthError('temporarily_unavailable', 'The tenant cannot take more clients', {
      status: 503,
    })
  }
  return registrationResponse(deps.config.issuer, client, stored, registrationAccessToken)
}
