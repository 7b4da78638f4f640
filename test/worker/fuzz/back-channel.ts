import fc from 'fast-check'
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, basic } from '../helpers/tenant'
import {
  type BodyShape,
  bodyFor,
  clientIp,
  encodeParams,
  garbageAuthorization,
  method,
} from './arbitraries'
import type { Fixtures } from './fixtures'

/** How a back-channel request authenticates its client (RFC 6749 §2.3). */
export type ClientAuth =
  | { kind: 'none' }
  | { kind: 'basic'; client: 'service' | 'hybrid' | 'admin'; right: boolean }
  | { kind: 'garbage'; value: string }

export const clientAuth: fc.Arbitrary<ClientAuth> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' } as const) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('basic' as const),
      client: fc.constantFrom('service' as const, 'hybrid' as const, 'admin' as const),
      right: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: garbageAuthorization.map((value) => ({ kind: 'garbage' as const, value })),
  },
)

/** The Authorization header of a client authentication, if any. */
export function authorizationHeader(auth: ClientAuth, f: Fixtures): string | undefined {
  if (auth.kind === 'none') return undefined
  if (auth.kind === 'garbage') return auth.value
  const { id, secret } =
    auth.client === 'service'
      ? f.service
      : auth.client === 'hybrid'
        ? { id: f.hybrid.id, secret: f.hybrid.secret.value }
        : { id: ADMIN_CLIENT_ID, secret: ADMIN_CLIENT_SECRET }
  return basic(id, auth.right ? secret : `${secret}x`)
}

/**
 * The common shape of a back-channel request: its method (mostly POST), a client
 * authentication, a body in the right or a wrong shape, and an address.
 */
export function formRequest(pairs: fc.Arbitrary<[string, string][]>): fc.Arbitrary<{
  method: string
  auth: ClientAuth
  raw: boolean
  pairs: [string, string][]
  body: BodyShape
  ip: string
}> {
  return fc
    .record({ method: method(['POST']), auth: clientAuth, raw: fc.boolean(), pairs, ip: clientIp })
    .chain((r) => bodyFor(encodeParams(r.pairs, r.raw)).map((body) => ({ ...r, body })))
}

export function toInit(
  r: { method: string; auth: ClientAuth; body: BodyShape; ip: string },
  f: Fixtures,
  body = r.body,
): RequestInit {
  const headers: Record<string, string> = { 'CF-Connecting-IP': r.ip }
  const authorization = authorizationHeader(r.auth, f)
  if (authorization !== undefined) headers.Authorization = authorization
  const sendsBody = r.method !== 'GET' && r.method !== 'HEAD'
  if (sendsBody && body.contentType !== undefined) headers['Content-Type'] = body.contentType
  return {
    method: r.method,
    headers,
    ...(sendsBody && body.body !== undefined && { body: body.body }),
  }
}
