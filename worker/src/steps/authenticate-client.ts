import { sha256, timingSafeEqual } from '../crypto/hash'
import type { Deps } from '../deps'
import { addressKey } from '../domain/address-key'
import { type Client, hasSecrets } from '../domain/client'
import type { FormParams } from '../domain/form-body'
import { isMetadataDocumentClientId } from '../domain/metadata-document'
import { OAuthError } from '../errors'
import type { ClientCredentialsRecord } from '../storage/client-authentication'
import {
  CLIENT_AUTH_FAILURE_WINDOW_SECONDS,
  countClientAuthFailure,
  isLockedOut,
  tooManyFailures,
} from './count-client-auth-failure'
import {
  type ClientAuthMethod,
  FAILED,
  type PresentedClient,
  readClientCredentials,
} from './read-client-credentials'
import {
  MetadataDocumentRefused,
  resolveMetadataDocumentClient,
} from './resolve-metadata-document-client'
import { verifyClientAssertion } from './verify-client-assertion'

export interface AuthenticatedClient {
  client: Client
  method: ClientAuthMethod
}

/** What a back-channel request presents to authenticate its client, as the route read it. */
export interface ClientAuthenticationRequest {
  /** The `Authorization` header's value, if any. */
  authorization: string | undefined
  params: FormParams
  /** The caller's address (routes/client-ip.ts), for failure counters and limits. */
  ip: string
}

/**
 * Authenticates the client of a back-channel request (token, revocation, introspection): reads
 * its credentials, finds the client (D1, or the opt-in per-isolate cache) and checks them.
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 RFC 6749 §2.3}
 */
export async function authenticateClient(
  deps: Deps,
  request: ClientAuthenticationRequest,
): Promise<AuthenticatedClient> {
  const presented = readClientCredentials(request.authorization, request.params)
  // Failures are counted per address, IPv6 per /64 (one subscriber holds a whole /64).
  const address = addressKey(request.ip)
  if (isMetadataDocumentClientId(presented.clientId)) {
    // A client ID metadata document: refreshed when it expired, refused by the tenant's policy.
    try {
      await resolveMetadataDocumentClient(deps, presented.clientId)
    } catch (error) {
      if (!(error instanceof MetadataDocumentRefused)) throw error
      throw new OAuthError('invalid_client', FAILED, {
        headers: presented.challenge,
        cause: { clientId: presented.clientId, metadataDocument: error.reason },
      })
    }
  }
  const record = await deps.clientCache.find(deps.db, presented.clientId, address)
  return verifyClient(deps, presented, record, address)
}

/**
 * Checks presented credentials against the client's record. A public client (authorization-code)
 * authenticates with its id alone (`none`) and never with a secret; a confidential client only
 * with one of its unexpired secrets, compared as SHA-256 digests in constant time (rotation keeps
 * several valid, D06). Failures of confidential clients are counted in D1 per client and address:
 * a lockout of that address that holds for the correct secret too, so nobody elsewhere can lock
 * the client out (D08); their total per client raises an alert, and the platform's limiter
 * bounds failures per client and per address (429, Retry-After). A public client has no secret
 * to guess: its failures are not counted, so nobody can lock out the browsers behind one address
 * (N08).
 */
export async function verifyClient(
  deps: Deps,
  presented: PresentedClient,
  record: ClientCredentialsRecord | null,
  ip: string,
): Promise<AuthenticatedClient> {
  const { clientId, secret, method, challenge } = presented
  const now = deps.now()
  const confidential = record !== null && hasSecrets(record.client.type)
  if (confidential && isLockedOut(record.failuresFromHere, now)) {
    const { startedAt } = record.failuresFromHere
    throw tooManyFailures(startedAt + CLIENT_AUTH_FAILURE_WINDOW_SECONDS - now)
  }

  const authenticated =
    record?.client.enabled === true &&
    (confidential
      ? method !== 'none' &&
        method !== 'private_key_jwt' &&
        (await secretMatches(record, secret ?? '', now))
      : await publicClientMatches(deps, record.client, presented))
  if (authenticated) return { client: record.client, method }

  deps.clientCache.forget(clientId, ip)
  if (record === null || confidential) {
    await countClientAuthFailure(deps, { clientId, tenantId: record?.client.tenantId, ip, now })
  }
  throw new OAuthError('invalid_client', FAILED, {
    headers: challenge,
    cause: { clientId, known: record !== null, method },
  })
}

/**
 * A client without secrets: an authorization-code client by its id alone (`none`); a third-party
 * client registered with `private_key_jwt` only by a valid assertion, and never by its id alone
 * (RFC 7591 §2: it authenticates as it registered). An assertion for any other client fails.
 * @see {@link https://www.rfc-editor.org/rfc/rfc7523#section-3 RFC 7523 §3}
 */
async function publicClientMatches(deps: Deps, client: Client, presented: PresentedClient) {
  const jwksUri = client.thirdParty?.jwksUri
  if (client.thirdParty?.tokenEndpointAuthMethod !== 'private_key_jwt') {
    return presented.method === 'none'
  }
  if (presented.method !== 'private_key_jwt' || !jwksUri || presented.assertion === undefined) {
    return false
  }
  const refusal = await verifyClientAssertion(deps, { id: client.id, jwksUri }, presented.assertion)
  if (refusal !== undefined)
    deps.log.info('client_assertion.refused', { clientId: client.id, refusal })
  return refusal === undefined
}

async function secretMatches(record: ClientCredentialsRecord, secret: string, now: number) {
  const presented = await sha256(secret)
  let matched = false
  for (const stored of record.secrets) {
    // Every secret is compared, expired or not, so timing does not tell how many are valid.
    const equal = timingSafeEqual(presented, stored.hash)
    const unexpired = stored.expiresAt === null || now < stored.expiresAt
    matched = (equal && unexpired) || matched
  }
  return matched
}
