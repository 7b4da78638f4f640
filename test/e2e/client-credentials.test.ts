import { createRemoteJWKSet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { SERVER } from './helpers/stack'

// The README's "Client-credentials clients, step by step", as a new user runs it against
// `npm start` (values from .dev.vars.example, which `npm start` copied to .dev.vars).
const TENANT = '6f2c4e1a-3b5d-4c7e-9f10-2a3b4c5d6e7f'
const ADMIN_ID = '0b9d8f2e-7a6c-4e5d-8b1a-9c0d1e2f3a4b'
const ADMIN_SECRET = 'demo-admin-client-secret-change-me-0123456789'
const API = `${SERVER}/api/v1/tenants/${TENANT}`

function basicToken(id: string, secret: string): Promise<Response> {
  return fetch(`${SERVER}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${btoa(`${id}:${secret}`)}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  })
}

async function call(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: response.status === 204 ? null : await response.json() }
}

describe('README: client-credentials clients, step by step (against npm start)', () => {
  it('creates a client with a custom role, gets and verifies tokens, rotates its secret', async () => {
    const admin = (
      (await (await basicToken(ADMIN_ID, ADMIN_SECRET)).json()) as { access_token: string }
    ).access_token

    const role = await call(admin, 'POST', '/roles', { name: 'Device Writer e2e' })
    expect(role.status).toBe(201)
    const client = await call(admin, 'POST', '/client-credential-clients', {
      name: 'Boiler 7',
      roleIds: [role.body.id],
      secretDescription: 'first',
    })
    expect(client.status).toBe(201)
    const { id } = client.body as { id: string }
    const old = client.body.secret as { id: string; value: string }

    expect((await basicToken(id, old.value)).status).toBe(200)
    const viaPost = await fetch(`${SERVER}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: id,
        client_secret: old.value,
      }),
    })
    const { access_token: token } = (await viaPost.json()) as { access_token: string }

    const jwks = createRemoteJWKSet(new URL(`${SERVER}/.well-known/jwks.json`))
    const { payload } = await jwtVerify(token, jwks, {
      issuer: SERVER,
      audience: `${SERVER}/api`,
      typ: 'at+jwt',
    })
    expect(payload).toMatchObject({ sub: id, client_id: id, tid: TENANT, scope: 'api' })
    expect(payload.roles).toContain(role.body.id)

    const added = await call(admin, 'POST', `/client-credential-clients/${id}/secrets`, {
      description: 'second',
      expiration: null,
    })
    expect(added.status).toBe(201)
    expect((await basicToken(id, added.body.value)).status).toBe(200)
    expect((await basicToken(id, old.value)).status).toBe(200)
    expect(
      (await call(admin, 'DELETE', `/client-credential-clients/${id}/secrets/${old.id}`)).status,
    ).toBe(204)
    const refused = await basicToken(id, old.value)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' })
  })
})
