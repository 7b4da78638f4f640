import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET, basic, seedDemoTenant } from '../helpers/tenant'
import { ISSUER } from '../helpers/worker'
import { type Fault, faultyApp } from './bindings'

beforeAll(seedDemoTenant)

describe('KV unavailable: the JWKS is served from D1 (RFC 7517)', () => {
  for (const fault of ['reject', 'stall'] as Fault[]) {
    it(`G03 serves the JWKS and signs tokens whose kid it lists while every KV call ${fault === 'reject' ? 'fails' : 'never answers'}`, async () => {
      // A fresh isolate: no keys in memory, so both the JWKS and signing go to storage.
      const { request, faults } = faultyApp()
      faults.kv = fault

      const response = await request('/.well-known/jwks.json')
      expect(response.status).toBe(200)
      expect(response.headers.get('Content-Type')).toBe('application/jwk-set+json')
      const jwks = (await response.json()) as JSONWebKeySet
      expect(jwks.keys.length).toBeGreaterThan(0)

      const tokenResponse = await request('/token', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: basic(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
        },
        body: 'grant_type=client_credentials',
      })
      expect(tokenResponse.status).toBe(200)
      const { access_token: token } = (await tokenResponse.json()) as { access_token: string }
      const { kid } = decodeProtectedHeader(token)
      expect(jwks.keys.map((key) => key.kid)).toContain(kid)
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER })
      expect(payload.client_id).toBe(ADMIN_CLIENT_ID)
    }, 15_000)
  }
})
