import { beforeAll, describe, expect, it } from 'vitest'
import type {
  ClientResource,
  CreatedClientResource,
  Page,
  RoleResource,
} from '../../../worker/src/routes/api/resource-types'
import { adminToken, api, readProblem, seedDemoTenant } from '../helpers/tenant'
import { CONTROL_CHARACTER_NAMES, TEXT_NAMES } from './control-names'

let admin: string

beforeAll(async () => {
  await seedDemoTenant()
  admin = await adminToken()
})

describe('management API: roles', () => {
  it('lists the built-in roles, which cannot be changed or deleted', async () => {
    const list = (await (await api(admin, 'GET', '/roles')).json()) as Page<RoleResource>
    expect(list.items.filter((r) => r.builtIn).map((r) => r.id)).toEqual([
      'account-administrator',
      'account-member',
    ])
    for (const id of ['account-member', 'account-administrator']) {
      expect((await api(admin, 'PUT', `/roles/${id}`, { name: 'Renamed' })).status).toBe(409)
      expect((await api(admin, 'DELETE', `/roles/${id}`)).status).toBe(409)
    }
  })

  it('creates, reads, renames and deletes a custom role', async () => {
    const created = await api(admin, 'POST', '/roles', {
      name: 'Data Reader',
      description: 'Reads streams',
    })
    expect(created.status).toBe(201)
    const role = (await created.json()) as RoleResource
    expect(created.headers.get('Location')).toMatch(new RegExp(`/roles/${role.id}$`))
    expect(await (await api(admin, 'GET', `/roles/${role.id}`)).json()).toEqual({
      id: role.id,
      name: 'Data Reader',
      description: 'Reads streams',
      builtIn: false,
    })
    const renamed = await api(admin, 'PUT', `/roles/${role.id}`, { name: 'Data Viewer' })
    expect(await renamed.json()).toEqual({
      id: role.id,
      name: 'Data Viewer',
      description: '',
      builtIn: false,
    })
    expect((await api(admin, 'DELETE', `/roles/${role.id}`)).status).toBe(204)
    expect((await api(admin, 'GET', `/roles/${role.id}`)).status).toBe(404)
  })

  it('N09 refuses a role name with control or bidi override characters as a field error on #/name', async () => {
    for (const name of CONTROL_CHARACTER_NAMES) {
      const response = await api(admin, 'POST', '/roles', { name })
      expect(response.status, JSON.stringify(name)).toBe(400)
      expect((await readProblem(response)).errors?.map((e) => e.pointer)).toEqual(['#/name'])
    }
    const role = (await (
      await api(admin, 'POST', '/roles', { name: 'N09 Plain' })
    ).json()) as RoleResource
    const renamed = await api(admin, 'PUT', `/roles/${role.id}`, { name: 'N09\u0085Plain' })
    expect(renamed.status).toBe(400)
    const [text = ''] = TEXT_NAMES
    const accepted = await api(admin, 'PUT', `/roles/${role.id}`, { name: text })
    expect(((await accepted.json()) as RoleResource).name).toBe(text)
  })

  it('refuses a second role with the same name, whatever the case', async () => {
    await api(admin, 'POST', '/roles', { name: 'Auditor' })
    const duplicate = await api(admin, 'POST', '/roles', { name: 'AUDITOR' })
    expect(duplicate.status).toBe(409)
  })

  it('gives a custom role to a client in its token, and takes it away when the role is deleted', async () => {
    const role = (await (
      await api(admin, 'POST', '/roles', { name: 'Device Writer' })
    ).json()) as RoleResource
    const client = (await (
      await api(admin, 'POST', '/client-credential-clients', {
        name: 'Device',
        roleIds: [role.id],
      })
    ).json()) as CreatedClientResource
    expect(client.roleIds).toEqual([role.id, 'account-member'].sort())
    expect((await api(admin, 'DELETE', `/roles/${role.id}`)).status).toBe(204)
    const after = (await (
      await api(admin, 'GET', `/client-credential-clients/${client.id}`)
    ).json()) as ClientResource
    expect(after.roleIds).toEqual(['account-member'])
  })

  it('replaces a client roles as a whole with PUT', async () => {
    const a = (await (
      await api(admin, 'POST', '/roles', { name: 'Role A' })
    ).json()) as RoleResource
    const b = (await (
      await api(admin, 'POST', '/roles', { name: 'Role B' })
    ).json()) as RoleResource
    const client = (await (
      await api(admin, 'POST', '/client-credential-clients', { name: 'C', roleIds: [a.id] })
    ).json()) as CreatedClientResource
    const replaced = await api(admin, 'PUT', `/client-credential-clients/${client.id}`, {
      name: 'C',
      roleIds: [b.id],
    })
    expect(((await replaced.json()) as ClientResource).roleIds).toEqual(
      [b.id, 'account-member'].sort(),
    )
  })
})
