import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import { readConfig } from '../../../worker/src/config'
import type { ProblemDetails } from '../../../worker/src/routes/api/resource-types'
import { ensureDemoTenant } from '../../../worker/src/steps/ensure-demo-tenant'
import { nowSeconds } from '../../../worker/src/storage/db'
import { fetchWorker, testDb } from './worker'

export const TENANT_ID = env.DEMO_TENANT_ID ?? ''
export const ADMIN_CLIENT_ID = env.DEMO_ADMIN_CLIENT_ID ?? ''
export const ADMIN_CLIENT_SECRET = env.DEMO_ADMIN_CLIENT_SECRET ?? ''

/** Seeds the demo tenant (idempotent), as `npm start` does. */
export async function seedDemoTenant(): Promise<void> {
  const demo = readConfig(env).demo
  if (demo === undefined) throw new Error('the test bindings lack the demo seed')
  await ensureDemoTenant({ db: testDb(), now: nowSeconds }, demo)
}

export function basic(clientId: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replaceAll('%20', '+')
  return `Basic ${btoa(`${encode(clientId)}:${encode(secret)}`)}`
}

/** POST /token with a form body and optional headers. */
export function tokenRequest(
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetchWorker('/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  })
}

/** A client-credentials access token for a client and secret (asserts success). */
export async function clientToken(
  clientId: string,
  secret: string,
  scope?: string,
): Promise<string> {
  const response = await tokenRequest(
    { grant_type: 'client_credentials', ...(scope && { scope }) },
    { Authorization: basic(clientId, secret) },
  )
  if (response.status !== 200) {
    throw new Error(`token request failed: ${response.status} ${await response.text()}`)
  }
  return ((await response.json()) as { access_token: string }).access_token
}

/** A management API token of the demo tenant's administrator client. */
export function adminToken(): Promise<string> {
  return clientToken(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET)
}

/** Calls the management API of the demo tenant (or `tenantId`) with a bearer token. */
export function api(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  tenantId = TENANT_ID,
): Promise<Response> {
  return fetchWorker(`/api/v1/tenants/${tenantId}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
}

/** D1 round trips the request made, from the Server-Timing header (development and tests). */
export function d1RoundTrips(response: Response): number {
  const match = /d1;desc="(\d+) round trips"/.exec(response.headers.get('Server-Timing') ?? '')
  if (match === null) throw new Error('no Server-Timing d1 entry')
  return Number(match[1])
}

/** Of those, the round trips a D1 read replica may serve (Server-Timing `d1-replica`). */
export function d1ReplicaRoundTrips(response: Response): number {
  const match = /d1-replica;desc="(\d+) round trips"/.exec(
    response.headers.get('Server-Timing') ?? '',
  )
  if (match === null) throw new Error('no Server-Timing d1-replica entry')
  return Number(match[1])
}

/** The round trips that went to D1's primary (the total less the replica's). */
export function d1PrimaryRoundTrips(response: Response): number {
  return d1RoundTrips(response) - d1ReplicaRoundTrips(response)
}

/** An RFC 9457 problem answer, asserting its content type. */
export async function readProblem(response: Response) {
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  return (await response.json()) as ProblemDetails
}
