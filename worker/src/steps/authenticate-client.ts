import type { AppContext } from '../context'
import { sha256, timingSafeEqual } from '../crypto/hash'
import { parseBasicAuthorization } from '../domain/basic-auth'
import type { Client } from '../domain/client'
import { OAuthError } from '../errors'
import { recordAudit } from '../storage/audit'
import { failureKeys, recordAuthFailures } from '../storage/auth-failures'
import type { ClientCredentialsRecord } from '../storage/client-authentication'
import { nowSeconds } from '../storage/db'
import { clientIp } from './client-ip'
import type { FormParams } from './parse-token-request'

/** Failed authentications of one client id from one address tolerated per window. */
export const MAX_CLIENT_AUTH_FAILURES = 20
export const CLIENT_AUTH_FAILURE_WINDOW_SECONDS = 300

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

export interface AuthenticatedClient {
  client: Client
  method: ClientAuthMethod
}

const FAILED = 'Client authentication failed'

/** The client credentials a request presents, before they are checked. */
export interface PresentedClient {
  clientId: string
  secret: string | undefined
  method: ClientAuthMethod
  /** Headers for an invalid_client answer: a Basic challenge when Basic was used (§5.2). */
  challenge: Record<string, string>
}

/**
 * Reads the client credentials of a back-channel request (RFC 6749 §2.3): `client_secret_basic`,
 * `client_secret_post`, or only a `client_id` for public clients. Refuses two methods at once
 * (D03) and a body client_id that differs from the Basic one (D04).
 */
export function readClientCredentials(c: AppContext, params: FormParams): PresentedClient {
  const basic = parseBasicAuthorization(c.req.header('Authorization'))
  // RFC 6749 §5.2: a client that used the Authorization header gets a Basic challenge back.
  const challenge: Record<string, string> =
    basic === undefined ? {} : { 'WWW-Authenticate': 'Basic realm="edge-identity"' }
  if (basic === null) throw new OAuthError('invalid_client', FAILED, { headers: challenge })

  const bodyId = params.get('client_id')
  const bodySecret = params.get('client_secret')
  if (basic !== undefined && bodySecret !== undefined) {
    // RFC 6749 §2.3: a client MUST NOT use more than one authentication method (D03).
    throw new OAuthError('invalid_request', 'Use one client authentication method')
  }
  if (basic !== undefined && bodyId !== undefined && bodyId !== basic.clientId) {
    throw new OAuthError('invalid_request', 'client_id does not match the Authorization header')
  }
  const clientId = basic?.clientId ?? bodyId
  if (clientId === undefined) {
    throw new OAuthError('invalid_client', 'Client authentication is required', {
      headers: { 'WWW-Authenticate': 'Basic realm="edge-identity"' },
    })
  }
  const secret = basic?.clientSecret ?? bodySecret
  const method: ClientAuthMethod =
    basic !== undefined
      ? 'client_secret_basic'
      : secret !== undefined
        ? 'client_secret_post'
        : 'none'
  return { clientId, secret, method, challenge }
}

/**
 * Authenticates the client of a back-channel request: reads its credentials, finds the client
 * (D1, or the opt-in per-isolate cache) and checks them.
 */
export async function authenticateClient(
  c: AppContext,
  params: FormParams,
): Promise<AuthenticatedClient> {
  const presented = readClientCredentials(c, params)
  const record = await c
    .get('services')
    .clientCache.find(c.get('db'), presented.clientId, clientIp(c))
  return verifyClient(c, presented, record)
}

/**
 * Checks presented credentials against the client's record. Secrets are compared as SHA-256
 * digests in constant time against every unexpired secret (rotation keeps several valid, D06);
 * a public client (authorization-code) authenticates with its id alone and a confidential one
 * never does. Failures are counted in D1 per client and address (a lockout of that address
 * that holds for the correct secret too, so nobody elsewhere can lock the client out; D08), their
 * total per client raises an alert, and the platform's limiter bounds failures per client and
 * per address (429, Retry-After).
 */
export async function verifyClient(
  c: AppContext,
  presented: PresentedClient,
  record: ClientCredentialsRecord | null,
): Promise<AuthenticatedClient> {
  const { clientId, secret, method, challenge } = presented
  const now = nowSeconds()
  if (record !== null && isLockedOut(record, now)) {
    throw tooManyFailures(record.failureWindowStartedAt + CLIENT_AUTH_FAILURE_WINDOW_SECONDS - now)
  }

  const authenticated =
    record?.client.enabled === true &&
    (method === 'none'
      ? record.client.type === 'authorization-code'
      : record.client.type !== 'authorization-code' &&
        (await secretMatches(record, secret ?? '', now)))
  if (authenticated) return { client: record.client, method }

  c.get('services').clientCache.forget(clientId)
  await countFailure(c, clientId, record, now)
  throw new OAuthError('invalid_client', FAILED, {
    headers: challenge,
    cause: { clientId, known: record !== null, method },
  })
}

function isLockedOut(record: ClientCredentialsRecord, now: number): boolean {
  return (
    record.recentFailures >= MAX_CLIENT_AUTH_FAILURES &&
    now < record.failureWindowStartedAt + CLIENT_AUTH_FAILURE_WINDOW_SECONDS
  )
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

async function countFailure(
  c: AppContext,
  clientId: string,
  record: ClientCredentialsRecord | null,
  now: number,
): Promise<void> {
  const limiter = c.env.CLIENT_AUTH_FAILURES
  const ip = clientIp(c)
  const [byClient, byIp] = await Promise.all([
    limiter.limit({ key: `client:${clientId}` }),
    limiter.limit({ key: `ip:${ip}` }),
  ])
  if (record !== null) {
    const [fromHere = 0, total = 0] = await recordAuthFailures(
      c.get('db'),
      [failureKeys.clientFrom(clientId, ip), failureKeys.client(clientId)],
      now,
      CLIENT_AUTH_FAILURE_WINDOW_SECONDS,
    )
    if (total === MAX_CLIENT_AUTH_FAILURES) {
      // The alert: a log line at warn level and an audit event the tenant's admins can see.
      c.get('log').warn('client.auth_failures', { clientId, tenantId: record.client.tenantId, ip })
      await recordAudit(c.get('db'), {
        tenantId: record.client.tenantId,
        actorType: 'system',
        actorId: null,
        action: 'client.auth_failures',
        targetType: 'client',
        targetId: clientId,
        requestId: c.get('requestId'),
        details: { failures: total, windowSeconds: CLIENT_AUTH_FAILURE_WINDOW_SECONDS, lastIp: ip },
        occurredAt: now,
      })
    }
    if (fromHere >= MAX_CLIENT_AUTH_FAILURES)
      throw tooManyFailures(CLIENT_AUTH_FAILURE_WINDOW_SECONDS)
  }
  if (!byClient.success || !byIp.success) throw tooManyFailures(60)
}

function tooManyFailures(retryAfterSeconds: number): OAuthError {
  return new OAuthError('invalid_client', 'Too many failed authentications, retry later', {
    status: 429,
    headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) },
  })
}
