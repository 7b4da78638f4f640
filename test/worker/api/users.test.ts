import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../../worker/src/crypto/hash'
import { verifyPassword } from '../../../worker/src/crypto/password'
import type {
  AuditEventResource,
  CreatedUserResource,
  Page,
  PasswordResetLinkResource,
  UserResource,
} from '../../../worker/src/routes/api/resource-types'
import type { TenantBootstrap } from '../../../worker/src/steps/bootstrap-tenant'
import {
  adminToken,
  api,
  clientToken,
  readProblem,
  seedDemoTenant,
  TENANT_ID,
} from '../helpers/tenant'
import { fetchWorker, ISSUER, OPS_AUTH } from '../helpers/worker'
import { CONTROL_CHARACTER_NAMES, TEXT_NAMES } from './control-names'

let admin: string
let counter = 0
/** A fresh address per test, so tests never collide on the unique email. */
const newEmail = () => `user${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`
const PASSWORD = 'tilted orbit lantern 42'

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

async function createUser(body: Record<string, unknown> = {}): Promise<CreatedUserResource> {
  const response = await api(admin, 'POST', '/users', { email: newEmail(), ...body })
  expect(response.status, await response.clone().text()).toBe(201)
  return (await response.json()) as CreatedUserResource
}

/** A live session and grant of the user, written straight to D1 as sign-in would. */
async function insertSessionAndGrant(userId: string) {
  const now = Math.floor(Date.now() / 1000)
  const sessionId = crypto.randomUUID()
  const grantId = crypto.randomUUID()
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO sessions (id, secret_hash, tenant_id, user_id, auth_time, created_at,
         last_seen_at, idle_expires_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5, ?6, ?6)`,
    ).bind(sessionId, `hash-${sessionId}`, TENANT_ID, userId, now, now + 3600),
    env.DB.prepare(
      `INSERT INTO grants (id, tenant_id, client_id, user_id, session_id, scope, auth_time,
         created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, 'openid', ?6, ?6, ?7)`,
    ).bind(grantId, TENANT_ID, env.DEMO_SPA_CLIENT_ID, userId, sessionId, now, now + 3600),
  ])
  return { sessionId, grantId }
}

/** revoked_at of the session and the grant; undefined when the row is gone. */
async function revocation({ sessionId, grantId }: { sessionId: string; grantId: string }) {
  const session = await env.DB.prepare('SELECT revoked_at FROM sessions WHERE id = ?1')
    .bind(sessionId)
    .first<{ revoked_at: number | null }>()
  const grant = await env.DB.prepare('SELECT revoked_at FROM grants WHERE id = ?1')
    .bind(grantId)
    .first<{ revoked_at: number | null }>()
  return { session: session?.revoked_at, grant: grant?.revoked_at }
}

const pageStatus = async (url: string) => (await fetchWorker(url)).status

describe('management API: users', () => {
  it('creates a user with a password: 201, Location, the defaults, and never a hash', async () => {
    const email = newEmail()
    const response = await api(admin, 'POST', '/users', { email, password: PASSWORD })
    expect(response.status).toBe(201)
    const text = await response.text()
    const user = JSON.parse(text) as UserResource
    expect(response.headers.get('Location')).toBe(`/api/v1/tenants/${TENANT_ID}/users/${user.id}`)
    expect(user).toEqual({
      id: expect.any(String),
      email,
      name: '',
      enabled: true,
      roleIds: ['account-member'],
      hasPassword: true,
      passkeys: 0,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: user.createdAt,
    })
    expect(text).not.toMatch(/pbkdf2|tilted orbit/)
    const stored = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?1')
      .bind(user.id)
      .first<{ password_hash: string }>()
    expect(await verifyPassword(PASSWORD, stored?.password_hash ?? '')).toBe(true)
  })

  it('creates a user without a password with a one-time invitation link valid 7 days, stored only as a hash (checklist C07)', async () => {
    const user = await createUser({ name: 'Invited' })
    expect(user.hasPassword).toBe(false)
    const url = new URL(user.invitationUrl ?? '')
    expect(`${url.origin}${url.pathname}`).toBe(`${ISSUER}/account/set-password`)
    const token = url.searchParams.get('token') ?? ''
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/) // 256 bits (RFC 6749 §10.10)
    const weekAhead = Date.now() + 7 * 86400 * 1000
    expect(Math.abs(Date.parse(user.invitationExpiration ?? '') - weekAhead)).toBeLessThan(60_000)
    const rows = await env.DB.prepare('SELECT * FROM user_invitations WHERE user_id = ?1')
      .bind(user.id)
      .all<{ token_hash: string }>()
    expect(rows.results.map((row) => row.token_hash)).toEqual([await sha256(token)])
    expect(JSON.stringify(rows.results)).not.toContain(token)
    // Shown once: reading the user never shows the link again.
    const read = await (await api(admin, 'GET', `/users/${user.id}`)).json()
    expect(read).not.toHaveProperty('invitationUrl')
  })

  it('reads, lists with paging and a total, replaces (PUT) and deletes', async () => {
    const user = await createUser({ name: 'Lifecycle', password: PASSWORD })
    const read = await api(admin, 'GET', `/users/${user.id}`)
    expect(read.status).toBe(200)
    const resource = (await read.json()) as UserResource
    const page = (await (
      await api(admin, 'GET', '/users?skip=0&count=1')
    ).json()) as Page<UserResource>
    expect(page.items.length).toBe(1)
    expect(page.total).toBeGreaterThanOrEqual(2)

    // PUT accepts what GET answered; read-only fields are ignored.
    const email = newEmail()
    const replaced = await api(admin, 'PUT', `/users/${user.id}`, {
      ...resource,
      email,
      name: 'Renamed',
      hasPassword: false,
    })
    expect(replaced.status, await replaced.clone().text()).toBe(200)
    expect(await replaced.json()).toMatchObject({
      id: user.id,
      email,
      name: 'Renamed',
      hasPassword: true,
      createdAt: resource.createdAt,
    })
    // Omitted optional fields return to their defaults.
    const defaults = await api(admin, 'PUT', `/users/${user.id}`, { email })
    expect(await defaults.json()).toMatchObject({
      name: '',
      enabled: true,
      roleIds: ['account-member'],
    })

    expect((await api(admin, 'DELETE', `/users/${user.id}`)).status).toBe(204)
    expect((await api(admin, 'GET', `/users/${user.id}`)).status).toBe(404)
    expect((await api(admin, 'DELETE', `/users/${user.id}`)).status).toBe(404)
  })

  it('N09 refuses a user name with control or bidi override characters as a field error on #/name', async () => {
    for (const name of CONTROL_CHARACTER_NAMES) {
      const response = await api(admin, 'POST', '/users', { email: newEmail(), name })
      expect(response.status, JSON.stringify(name)).toBe(400)
      expect((await readProblem(response)).errors?.map((e) => e.pointer)).toEqual(['#/name'])
    }
    const user = await createUser({ name: 'Plain' })
    const replaced = await api(admin, 'PUT', `/users/${user.id}`, {
      email: user.email,
      name: 'Plain\u2066',
    })
    expect(replaced.status).toBe(400)
    for (const name of TEXT_NAMES) {
      const response = await api(admin, 'PUT', `/users/${user.id}`, { email: user.email, name })
      expect(((await response.json()) as UserResource).name).toBe(name)
    }
  })

  it('refuses a PUT whose body id differs from the path', async () => {
    const user = await createUser()
    const response = await api(admin, 'PUT', `/users/${user.id}`, {
      email: user.email,
      id: 'other',
    })
    expect(response.status).toBe(400)
    expect((await readProblem(response)).errors).toEqual([
      { pointer: '#/id', detail: expect.any(String) },
    ])
  })

  it('answers invalid bodies with RFC 9457 problem details, one entry per invalid field', async () => {
    const response = await api(admin, 'POST', '/users', {
      email: 'not-an-email',
      name: 'x'.repeat(201),
      enabled: 'yes',
      unknownField: 1,
    })
    expect(response.status).toBe(400)
    const details = await readProblem(response)
    expect(details.title).toBe('The request is not valid')
    const pointers = details.errors?.map((e) => e.pointer)
    expect(pointers).toEqual(expect.arrayContaining(['#/email', '#/name', '#/enabled']))
    expect(pointers?.length).toBe(4)
    const missing = await api(admin, 'POST', '/users', {})
    expect((await readProblem(missing)).errors?.map((e) => e.pointer)).toEqual(['#/email'])
  })

  it('refuses a second user with the same email, whatever the case, with 409', async () => {
    const user = await createUser()
    const again = await api(admin, 'POST', '/users', { email: user.email.toUpperCase() })
    expect(again.status).toBe(409)
    expect((await readProblem(again)).title).toBe('Conflict')
    const other = await createUser()
    const taken = await api(admin, 'PUT', `/users/${other.id}`, { email: user.email })
    expect(taken.status).toBe(409)
    expect(
      ((await (await api(admin, 'GET', `/users/${other.id}`)).json()) as UserResource).email,
    ).toBe(other.email)
  })

  it('keeps Account Member, adds the requested roles, and refuses unknown roles by field', async () => {
    const user = await createUser({ roleIds: ['account-administrator'] })
    expect(user.roleIds).toEqual(['account-administrator', 'account-member'])
    const unknown = await api(admin, 'POST', '/users', {
      email: newEmail(),
      roleIds: ['account-member', 'nope'],
    })
    expect(unknown.status).toBe(400)
    expect((await readProblem(unknown)).errors).toEqual([
      { pointer: '#/roleIds/1', detail: 'Unknown role nope' },
    ])
  })

  it.each([
    ['short', 'a7#kQ2!zP', /at least 10/],
    ['common (NIST SP 800-63B-4 §3.1.1.2 blocklist)', 'password1234', /most common/],
    ['the email local part', 'LOCALPART-2026', /before the @/],
  ])('refuses a %s password as a field error on #/password', async (_, password, message) => {
    const response = await api(admin, 'POST', '/users', {
      email: 'localpart@example.com',
      password,
    })
    expect(response.status).toBe(400)
    expect((await readProblem(response)).errors).toEqual([
      { pointer: '#/password', detail: expect.stringMatching(message) },
    ])
  })
})

describe('management API: users, sessions and passwords', () => {
  it('disabling a user ends their sessions and revokes their grants at once; other users keep theirs', async () => {
    const user = await createUser({ password: PASSWORD })
    const bystander = await createUser({ password: PASSWORD })
    const mine = await insertSessionAndGrant(user.id)
    const theirs = await insertSessionAndGrant(bystander.id)
    // A replace that keeps the user enabled ends nothing.
    await api(admin, 'PUT', `/users/${user.id}`, { email: user.email, name: 'Still enabled' })
    expect(await revocation(mine)).toEqual({ session: null, grant: null })

    const disabled = await api(admin, 'PUT', `/users/${user.id}`, {
      email: user.email,
      enabled: false,
    })
    expect(disabled.status).toBe(200)
    expect(((await disabled.json()) as UserResource).enabled).toBe(false)
    const after = await revocation(mine)
    expect(after.session).toEqual(expect.any(Number))
    expect(after.grant).toEqual(expect.any(Number))
    expect(await revocation(theirs)).toEqual({ session: null, grant: null })
  })

  it('deleting a user ends their sessions and grants with them', async () => {
    const user = await createUser({ password: PASSWORD })
    const ids = await insertSessionAndGrant(user.id)
    expect((await api(admin, 'DELETE', `/users/${user.id}`)).status).toBe(204)
    expect(await revocation(ids)).toEqual({ session: undefined, grant: undefined })
    // The id stays taken in the shared id space (RFC 9068 §5), so it is never reused.
    const principal = await env.DB.prepare('SELECT kind FROM principals WHERE id = ?1')
      .bind(user.id)
      .first<{ kind: string }>()
    expect(principal?.kind).toBe('user')
  })

  it('an administrator sets a password: the policy applies, old links stop working, sessions end', async () => {
    const user = await createUser()
    const ids = await insertSessionAndGrant(user.id)
    const weak = await api(admin, 'POST', `/users/${user.id}/password`, { password: 'qwertyuiop' })
    expect((await readProblem(weak)).errors).toEqual([
      { pointer: '#/password', detail: expect.stringMatching(/most common/) },
    ])
    expect(await revocation(ids)).toEqual({ session: null, grant: null })

    const set = await api(admin, 'POST', `/users/${user.id}/password`, { password: PASSWORD })
    expect(set.status).toBe(204)
    const after = await revocation(ids)
    expect(after.session).toEqual(expect.any(Number))
    expect(after.grant).toEqual(expect.any(Number))
    expect(
      ((await (await api(admin, 'GET', `/users/${user.id}`)).json()) as UserResource).hasPassword,
    ).toBe(true)
    expect(await pageStatus(user.invitationUrl ?? '')).toBe(400)
    expect(
      (await api(admin, 'POST', `/users/${crypto.randomUUID()}/password`, { password: PASSWORD }))
        .status,
    ).toBe(404)
  })

  it('creates a password-reset link valid 24 hours, shown once; earlier links stop working; sessions end', async () => {
    const user = await createUser()
    const ids = await insertSessionAndGrant(user.id)
    const response = await api(admin, 'POST', `/users/${user.id}/password-reset`)
    expect(response.status).toBe(200)
    const link = (await response.json()) as PasswordResetLinkResource
    expect(link.resetUrl).toMatch(
      new RegExp(`^${ISSUER}/account/set-password\\?token=[A-Za-z0-9_-]{43}$`),
    )
    expect(Math.abs(Date.parse(link.expiration) - (Date.now() + 86400_000))).toBeLessThan(60_000)
    const after = await revocation(ids)
    expect(after.session).toEqual(expect.any(Number))
    expect(after.grant).toEqual(expect.any(Number))
    expect(await pageStatus(link.resetUrl)).toBe(200)
    expect(await pageStatus(user.invitationUrl ?? '')).toBe(400)
  })

  it('audits every change, never with a password or a link token', async () => {
    const user = await createUser({ roleIds: ['account-administrator'] })
    await api(admin, 'PUT', `/users/${user.id}`, { email: user.email, enabled: false })
    await api(admin, 'POST', `/users/${user.id}/password`, { password: PASSWORD })
    const reset = (await (
      await api(admin, 'POST', `/users/${user.id}/password-reset`)
    ).json()) as PasswordResetLinkResource
    await api(admin, 'DELETE', `/users/${user.id}`)
    const log = (await (
      await api(admin, 'GET', '/audit-events?count=1000')
    ).json()) as Page<AuditEventResource>
    const mine = log.items.filter((e) => e.targetId === user.id)
    expect(mine.map((e) => e.action)).toEqual([
      'user.deleted',
      'user.password_reset_link_created',
      'user.password_set',
      'user.replaced',
      'user.created',
    ])
    const text = JSON.stringify(mine)
    for (const secret of [
      PASSWORD,
      new URL(user.invitationUrl ?? '').searchParams.get('token') ?? '',
      new URL(reset.resetUrl).searchParams.get('token') ?? '',
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('is in the OpenAPI document under the tag users', async () => {
    const doc = (await (await fetchWorker('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>
    }
    const users = '/tenants/{tenantId}/users'
    for (const [path, method] of [
      [users, 'get'],
      [users, 'post'],
      [`${users}/{userId}`, 'get'],
      [`${users}/{userId}`, 'put'],
      [`${users}/{userId}`, 'delete'],
      [`${users}/{userId}/password`, 'post'],
      [`${users}/{userId}/password-reset`, 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method]?.tags, `${method} ${path}`).toEqual(['users'])
    }
  })
})

describe('management API: users of another tenant', () => {
  it("never lets a tenant's administrator see or touch another tenant's users", async () => {
    const other = (await (
      await fetchWorker('/ops/tenants', {
        method: 'POST',
        headers: { ...OPS_AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Other', adminEmail: 'other-users@example.com' }),
      })
    ).json()) as TenantBootstrap
    const otherAdmin = await clientToken(other.adminClient.id, other.adminClient.secret)
    const mine = await createUser({ password: PASSWORD })
    const ids = await insertSessionAndGrant(mine.id)
    const body = { email: newEmail(), enabled: false, password: PASSWORD }

    // With their own token on my tenant's URLs: 403, whatever the route.
    for (const [method, path] of [
      ['GET', '/users'],
      ['POST', '/users'],
      ['GET', `/users/${mine.id}`],
      ['PUT', `/users/${mine.id}`],
      ['DELETE', `/users/${mine.id}`],
      ['POST', `/users/${mine.id}/password`],
      ['POST', `/users/${mine.id}/password-reset`],
    ] as const) {
      const response = await api(otherAdmin, method, path, /^P/.test(method) ? body : undefined)
      expect(response.status, `${method} ${path}`).toBe(403)
    }
    // With their token on their tenant's URLs, my user does not exist, and nothing changes.
    for (const [method, path, payload] of [
      ['GET', `/users/${mine.id}`, undefined],
      ['PUT', `/users/${mine.id}`, { email: newEmail(), enabled: false }],
      ['DELETE', `/users/${mine.id}`, undefined],
      ['POST', `/users/${mine.id}/password`, { password: PASSWORD }],
      ['POST', `/users/${mine.id}/password-reset`, undefined],
    ] as const) {
      const response = await api(otherAdmin, method, path, payload, other.tenantId)
      expect(response.status, `${method} ${path}`).toBe(404)
    }
    const list = (await (
      await api(otherAdmin, 'GET', '/users', undefined, other.tenantId)
    ).json()) as Page<UserResource>
    expect(list.items.map((u) => u.id)).not.toContain(mine.id)
    expect(await (await api(admin, 'GET', `/users/${mine.id}`)).json()).toMatchObject({
      email: mine.email,
      enabled: true,
    })
    expect(await revocation(ids)).toEqual({ session: null, grant: null })
  })
})
