import type { AppContext } from '../context'
import { sha256, timingSafeEqual } from '../crypto/hash'
import { parseBasicAuthorization } from '../domain/basic-auth'
import type { Client } from '../domain/client'
import { OAuthError } from '../errors'
import { recordAudit } from '../storage/audit'
import {
  type ClientCredentialsRecord,
  clientFailureKey,
  recordAuthFailure,
} from '../storage/client-authentication'
import { nowSeconds } from '../storage/db'
import type { FormParams } from './parse-token-request'

/** Failed authentications of one client id tolerated per window before it is locked out. */
export const MAX_CLIENT_AUTH_FAILURES = 20
export const CLIENT_AUTH_FAILURE_WINDOW_SECONDS = 300

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

export interface AuthenticatedClient {
  client: Client
  method: ClientAuthMethod
}

const FAILED = 'Client authentication failed'

/**
 * Authenticates the client of a back-channel request (RFC 6749 §2.3): `client_secret_basic`,
 * `client_secret_post`, or none for public clients. Secrets are compared as SHA-256 digests in
 * constant time against every unexpired secret (rotation keeps several valid, checklist D06).
 * Failures are counted per client in D1 (a lockout that holds for correct secrets too, D08) and
 * rate limited per client and per IP by the platform's limiter (429 with Retry-After).
 */
export async function authenticateClient(
  c: AppContext,
  params: FormParams,
): Promise<AuthenticatedClient> {
  const authorization = c.req.header('Authorization')
  const basic = parseBasicAuthorization(authorization)
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

  const { clientCache } = c.get('services')
  const db = c.get('db')
  const record = await clientCache.find(db, clientId)
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

  clientCache.forget(clientId)
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
  const ip = c.req.header('CF-Connecting-IP') ?? 'unknown'
  const [byClient, byIp] = await Promise.all([
    limiter.limit({ key: `client:${clientId}` }),
    limiter.limit({ key: `ip:${ip}` }),
  ])
  if (record !== null) {
    const failures = await recordAuthFailure(
      c.get('db'),
      clientFailureKey(clientId),
      now,
      CLIENT_AUTH_FAILURE_WINDOW_SECONDS,
    )
    if (failures === MAX_CLIENT_AUTH_FAILURES) {
      // The alert: a log line at warn level and an audit event the tenant's admins can see.
      c.get('log').warn('client.locked_out', { clientId, tenantId: record.client.tenantId, ip })
      await recordAudit(c.get('db'), {
        tenantId: record.client.tenantId,
        actorType: 'system',
        actorId: null,
        action: 'client.locked_out',
        targetType: 'client',
        targetId: clientId,
        requestId: c.get('requestId'),
        details: { failures, windowSeconds: CLIENT_AUTH_FAILURE_WINDOW_SECONDS, ip },
        occurredAt: now,
      })
    }
    if (failures >= MAX_CLIENT_AUTH_FAILURES)
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
