import fc from 'fast-check'
import { beforeAll, describe, it } from 'vitest'
import { api, TENANT_ID } from '../helpers/tenant'
import { ISSUER } from '../helpers/worker'
import {
  clientIp,
  encodeSegment,
  garbageAuthorization,
  headerSafe,
  hostileString,
  malformedBody,
  paramValue,
} from './arbitraries'
import { type Fixtures, fixtures } from './fixtures'
import { checkProperty, exercise, FUZZ_TIMEOUT } from './harness'
import {
  expectBearerChallenge,
  expectNoReflectedScript,
  expectProblem,
  expectVerifiedRedirects,
} from './invariants'
import { RowCountTracker } from './row-counts'

let f: Fixtures
const rows = new RowCountTracker()
/** Ids of resources the cases may read, replace and delete (never the admin client itself). */
const ids: Record<string, string[]> = {}

const COLLECTIONS = [
  'client-credential-clients',
  'authorization-code-clients',
  'hybrid-clients',
  'roles',
  'users',
  'audit-events',
] as const

beforeAll(async () => {
  f = await fixtures()
  const created = async (path: string, body: unknown) =>
    ((await (await api(f.admin, 'POST', path, body)).json()) as { id: string }).id
  ids['client-credential-clients'] = [f.service.id]
  ids['authorization-code-clients'] = [
    f.spa.id,
    await created('/authorization-code-clients', {
      name: 'Fuzz SPA',
      redirectUris: ['https://app.example/cb'],
    }),
  ]
  ids['hybrid-clients'] = [f.hybrid.id]
  ids.roles = [
    'account-member',
    'account-administrator',
    await created('/roles', { name: 'Fuzz role', description: 'x' }),
  ]
  ids.users = [await created('/users', { email: 'fuzz-user@example.com' })]
  ids['audit-events'] = []
}, 60_000)

/** A JSON value in the shape of a resource, every field valid or hostile or of another type. */
const resourceBody = fc.record(
  {
    id: paramValue(crypto.randomUUID()),
    name: fc.oneof(paramValue('Fuzz client'), fc.integer(), fc.constant(null)),
    enabled: fc.oneof(fc.boolean(), hostileString),
    accessTokenLifetime: fc.oneof(
      fc.integer({ min: 60, max: 3600 }),
      fc.integer(),
      fc.double(),
      hostileString,
    ),
    roleIds: fc.oneof(
      fc.array(paramValue('account-member', 'account-administrator'), { maxLength: 3 }),
      hostileString,
    ),
    redirectUris: fc.oneof(
      fc.array(
        paramValue('https://app.example/cb', 'http://127.0.0.1/cb', 'http://evil.example/cb'),
        { maxLength: 12 },
      ),
      fc.constant('https://app.example/cb'),
    ),
    postLogoutRedirectUris: fc.array(paramValue('https://app.example/'), { maxLength: 3 }),
    allowedCorsOrigins: fc.array(paramValue('https://app.example', 'null', '*'), { maxLength: 3 }),
    allowRefreshToken: fc.oneof(fc.boolean(), fc.constant('yes')),
    secretDescription: paramValue('first'),
    secretExpiration: fc.oneof(
      fc.constant(null),
      fc.constantFrom('2030-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'tomorrow'),
      hostileString,
    ),
    description: paramValue('a description'),
    expiration: fc.oneof(fc.constant(null), fc.constantFrom('2030-01-01T00:00:00Z', 'never')),
    email: paramValue('someone@example.com', 'not-an-email'),
    password: paramValue('a long enough passphrase 42', 'short'),
  },
  { requiredKeys: [] },
)

/** A body: a resource-shaped JSON object, any JSON at all, or something malformed. */
const body = fc.oneof(
  {
    weight: 6,
    arbitrary: resourceBody.map((value) => ({
      contentType: 'application/json' as string | undefined,
      body: JSON.stringify(value) as string | undefined,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.jsonValue().map((value) => ({
      contentType: 'application/json' as string | undefined,
      body: JSON.stringify(value) as string | undefined,
    })),
  },
  { weight: 1, arbitrary: malformedBody },
)

const credential = fc.oneof(
  { weight: 8, arbitrary: fc.constant('admin') },
  { weight: 1, arbitrary: fc.constantFrom('service', 'user', 'none') },
  { weight: 1, arbitrary: garbageAuthorization },
)

describe('fuzz: management API', () => {
  it('answers every route with RFC 9457 problem details on error (a Bearer or DPoP challenge on 401), never 5xx, and writes nothing when it refuses', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'),
      credential,
      tenant: fc.oneof(
        { weight: 8, arbitrary: fc.constant(TENANT_ID) },
        { weight: 1, arbitrary: fc.constant(crypto.randomUUID()) },
        { weight: 1, arbitrary: hostileString },
      ),
      collection: fc.constantFrom(...COLLECTIONS),
      item: fc.oneof(
        { weight: 4, arbitrary: fc.constant('') },
        { weight: 4, arbitrary: fc.nat() },
        { weight: 1, arbitrary: hostileString },
      ),
      sub: fc.oneof(
        { weight: 6, arbitrary: fc.constant('') },
        {
          weight: 1,
          arbitrary: fc.constantFrom('/secrets', '/secrets/x', '/password', '/password-reset'),
        },
      ),
      query: fc.option(fc.tuple(paramValue('0', '10', '-1', '1e9'), paramValue('5', '0', '101'))),
      body,
      ip: clientIp,
    })
    await checkProperty('management', arbitrary, async (r) => {
      const pool = ids[r.collection] ?? []
      const item =
        r.item === ''
          ? ''
          : `/${encodeSegment(
              typeof r.item === 'number'
                ? (pool[r.item % (pool.length + 1)] ?? crypto.randomUUID())
                : r.item,
            )}`
      const sub = item === '' ? '' : r.sub
      const query =
        r.query === null ? '' : `?${new URLSearchParams({ skip: r.query[0], count: r.query[1] })}`
      const path = `/api/v1/tenants/${encodeSegment(r.tenant)}/${r.collection}${item}${sub}${query}`
      const headers: Record<string, string> = { 'CF-Connecting-IP': r.ip }
      const token =
        r.credential === 'admin'
          ? f.admin
          : r.credential === 'service'
            ? f.tokens.serviceAccess
            : r.credential === 'user'
              ? f.tokens.userAccess
              : undefined
      if (token !== undefined) headers.Authorization = `Bearer ${token}`
      else if (r.credential !== 'none') headers.Authorization = headerSafe(r.credential)
      const sendsBody = r.method !== 'GET' && r.method !== 'HEAD'
      if (sendsBody && r.body.contentType !== undefined)
        headers['Content-Type'] = r.body.contentType
      const result = await exercise(rows, path, {
        method: r.method,
        headers,
        ...(sendsBody && r.body.body !== undefined && { body: r.body.body }),
      })
      if (result.status >= 400 && r.method !== 'HEAD') {
        expectProblem(result)
        // RFC 6750 §3, or RFC 9449 §7.1 for a token presented with the DPoP scheme.
        if (result.status === 401) expectBearerChallenge(result)
      }
      // A created resource's Location is on this server.
      expectVerifiedRedirects(result, [])
    })
  })

  it('never lets a hostile value through the API reference page or the OpenAPI document', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc.record({
      path: fc.constantFrom(
        '/api/v1/openapi.json',
        '/api/v1/reference',
        '/api/v1/reference.css',
        '/api/v1/',
      ),
      method: fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS'),
      query: hostileString,
      origin: paramValue(ISSUER, 'https://evil.example'),
    })
    await checkProperty('management-docs', arbitrary, async (r) => {
      const result = await exercise(rows, `${r.path}?q=${encodeSegment(r.query)}`, {
        method: r.method,
        headers: r.origin === '' ? {} : { Origin: headerSafe(r.origin) },
      })
      expectNoReflectedScript(result)
      if (result.status >= 400 && r.method !== 'HEAD') expectProblem(result)
    })
  })
})
