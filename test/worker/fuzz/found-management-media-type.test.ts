import { beforeAll, describe, expect, it } from 'vitest'
import { TENANT_ID } from '../helpers/tenant'
import { type Fixtures, fixtures } from './fixtures'
import { answer } from './harness'
import { expectProblem } from './invariants'

/**
 * Found by the fuzz suite (management.test.ts): a POST or PUT to a management route whose body
 * is not JSON (`Content-Type: application/xml`, `text/plain`, a form, none with a body) answers
 * `415 text/plain;charset=UTF-8` with the body `Unsupported Media Type`: the HTTPException that
 * @hono/zod-openapi's validator throws (dist/index.mjs, "Unsupported Media Type") reaches the
 * client as Hono renders it, not through render-error.ts. Expected: RFC 9457 problem details
 * (`application/problem+json` with type, title, status 415), like every other API error.
 */
let f: Fixtures

beforeAll(async () => {
  f = await fixtures()
}, 60_000)

const BODIES = [
  ['application/xml', '<?xml version="1.0"?><a/>'],
  ['text/plain', '{"name":"x"}'],
  ['application/x-www-form-urlencoded', 'name=x'],
] as const

describe('found: management API answers a non-JSON body outside RFC 9457', () => {
  it.each(BODIES)('answers a %s body to POST /roles with a 415 problem', async (type, body) => {
    const result = await answer(`/api/v1/tenants/${TENANT_ID}/roles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${f.admin}`, 'Content-Type': type },
      body,
    })
    expect(result.status).toBe(415)
    expectProblem(result)
  })

  it('answers a non-JSON body to PUT of a client with a 415 problem', async () => {
    const result = await answer(
      `/api/v1/tenants/${TENANT_ID}/client-credential-clients/${f.service.id}`,
      {
        method: 'PUT',
        headers: { Authorization: `Bearer ${f.admin}`, 'Content-Type': 'application/xml' },
        body: '<a/>',
      },
    )
    expect(result.status).toBe(415)
    expectProblem(result)
  })
})
