import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import type {
  AuditEventResource,
  CreatedUserResource,
  Page,
  UserPasskeyResource,
  UserResource,
} from '../../../worker/src/routes/api/resource-types'
import { adminToken, api, seedDemoTenant, TENANT_ID } from '../helpers/tenant'

let admin: string

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

async function createUser(): Promise<CreatedUserResource> {
  const response = await api(admin, 'POST', '/users', {
    email: `keys-${crypto.randomUUID()}@example.com`,
    password: 'tilted orbit lantern 42',
  })
  expect(response.status).toBe(201)
  return response.json()
}

/** A passkey of the user, written straight to D1 as the account page would. */
async function insertPasskey(userId: string, name: string, tenantId = TENANT_ID): Promise<string> {
  const id = crypto.randomUUID().replace(/-/g, '')
  await env.DB.prepare(
    `INSERT INTO passkeys (credential_id, tenant_id, user_id, public_key, sign_count, transports,
       backup_eligible, backed_up, name, created_at)
     VALUES (?1, ?2, ?3, 'cHVibGlj', 0, '["internal"]', 1, 1, ?4, 1900000000)`,
  )
    .bind(id, tenantId, userId, name)
    .run()
  return id
}

async function passkeyAudits(userId: string) {
  const page = (await (
    await api(admin, 'GET', '/audit-events?count=1000')
  ).json()) as Page<AuditEventResource>
  return page.items.filter((e) => e.targetId === userId && e.action === 'passkey.deleted')
}

describe('users API: passkeys', () => {
  it('tells how many passkeys a user holds, and lists them without their public keys', async () => {
    const user = await createUser()
    expect(user.passkeys).toBe(0)
    const id = await insertPasskey(user.id, 'Laptop')
    await insertPasskey(user.id, 'Phone')
    const read = (await (await api(admin, 'GET', `/users/${user.id}`)).json()) as UserResource
    expect(read.passkeys).toBe(2)
    const response = await api(admin, 'GET', `/users/${user.id}/passkeys`)
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text).not.toContain('cHVibGlj')
    const list = JSON.parse(text) as Page<UserPasskeyResource>
    expect(list.total).toBe(2)
    expect(list.items.find((passkey) => passkey.id === id)).toEqual({
      id,
      name: 'Laptop',
      createdAt: '2030-03-17T17:46:40.000Z',
      lastUsedAt: null,
      backupEligible: true,
      backedUp: true,
      transports: ['internal'],
    })
  })

  it('removes one passkey, audited; an unknown one is 404 and audits nothing', async () => {
    const user = await createUser()
    const laptop = await insertPasskey(user.id, 'Laptop')
    await insertPasskey(user.id, 'Phone')
    expect((await api(admin, 'DELETE', `/users/${user.id}/passkeys/${laptop}`)).status).toBe(204)
    expect((await api(admin, 'DELETE', `/users/${user.id}/passkeys/${laptop}`)).status).toBe(404)
    const list = (await (
      await api(admin, 'GET', `/users/${user.id}/passkeys`)
    ).json()) as Page<UserPasskeyResource>
    expect(list.items.map((p) => p.name)).toEqual(['Phone'])
    const audits = await passkeyAudits(user.id)
    expect(audits.map((e) => e.details)).toEqual([{ credentialId: laptop }])
  })

  it('removes all passkeys of a user in one call, audited once', async () => {
    const user = await createUser()
    await insertPasskey(user.id, 'Laptop')
    await insertPasskey(user.id, 'Phone')
    expect((await api(admin, 'DELETE', `/users/${user.id}/passkeys`)).status).toBe(204)
    const read = (await (await api(admin, 'GET', `/users/${user.id}`)).json()) as UserResource
    expect(read.passkeys).toBe(0)
    expect((await passkeyAudits(user.id)).map((e) => e.details)).toEqual([{ credentialId: 'all' }])
  })

  it("answers 404 for another tenant's user, and never touches their passkeys", async () => {
    const otherTenant = crypto.randomUUID()
    const otherUser = crypto.randomUUID()
    await env.DB.batch([
      env.DB.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, 'Other', 0)").bind(
        otherTenant,
      ),
      env.DB.prepare(
        `INSERT INTO users (id, tenant_id, email, email_key, name, enabled, created_at, updated_at)
         VALUES (?1, ?2, 'x@example.com', 'x@example.com', '', 1, 0, 0)`,
      ).bind(otherUser, otherTenant),
    ])
    const key = await insertPasskey(otherUser, 'Theirs', otherTenant)
    expect((await api(admin, 'GET', `/users/${otherUser}/passkeys`)).status).toBe(404)
    expect((await api(admin, 'DELETE', `/users/${otherUser}/passkeys`)).status).toBe(404)
    expect((await api(admin, 'DELETE', `/users/${otherUser}/passkeys/${key}`)).status).toBe(404)
    const still = await env.DB.prepare('SELECT COUNT(*) AS n FROM passkeys WHERE user_id = ?1')
      .bind(otherUser)
      .first<{ n: number }>()
    expect(still?.n).toBe(1)
  })

  it('refuses a malformed passkey id with a 400 problem', async () => {
    const user = await createUser()
    const response = await api(admin, 'DELETE', `/users/${user.id}/passkeys/not%20an%20id`)
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toMatch(/^application\/problem\+json/)
  })
})
