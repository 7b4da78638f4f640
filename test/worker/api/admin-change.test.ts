import { beforeAll, describe, expect, it } from 'vitest'
import { ProblemError, problems } from '../../../worker/src/errors'
import { type Administrator, applyChange } from '../../../worker/src/routes/api/admin-change'
import type { AuditEvent } from '../../../worker/src/storage/audit'
import { seedDemoTenant, TENANT_ID } from '../helpers/tenant'
import { testConfig, testDb } from '../helpers/worker'

const NOW = 1_900_000_000

beforeAll(seedDemoTenant)

const admin: Administrator = {
  deps: {
    config: testConfig(),
    db: testDb(),
    replica: testDb(),
    now: () => NOW,
    requestId: 'request-1',
  },
  tenantId: TENANT_ID,
  actor: { type: 'client', id: 'admin-client' },
}

/** The problem `promise` is rejected with. */
async function problemOf(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ProblemError)
  return error as ProblemError
}

describe('applyChange (the management handler skeleton)', () => {
  it('writes once, with the audit event of the administrator, the request and the frozen clock', async () => {
    const audits: AuditEvent[] = []
    await applyChange(admin, {
      audit: { action: 'thing.changed', target: { type: 'thing', id: 't1' }, details: { a: 1 } },
      write: async (audit) => {
        audits.push(audit)
        return 'written'
      },
      refusals: {},
    })
    expect(audits).toEqual([
      {
        tenantId: TENANT_ID,
        actorType: 'client',
        actorId: 'admin-client',
        action: 'thing.changed',
        targetType: 'thing',
        targetId: 't1',
        requestId: 'request-1',
        details: { a: 1 },
        occurredAt: NOW,
      },
    ])
  })

  it('refuses unknown role ids with one field error each, before anything is written', async () => {
    let writes = 0
    const problem = await problemOf(
      applyChange(admin, {
        roleIds: ['account-member', 'no-such-role', 'nor-this'],
        audit: { action: 'thing.changed', target: { type: 'thing', id: 't1' } },
        write: async () => {
          writes++
          return 'written'
        },
        refusals: {},
      }),
    )
    expect(problem.status).toBe(400)
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['#/roleIds/1', '#/roleIds/2'])
    expect(writes).toBe(0)
  })

  it('answers a refused write with the problem given for that refusal', async () => {
    const refuse = (outcome: 'not-found' | 'duplicate-name') =>
      applyChange(admin, {
        audit: { action: 'thing.changed', target: { type: 'thing', id: 't1' } },
        write: async () => outcome,
        refusals: {
          'not-found': () => problems.notFound('No thing t1'),
          'duplicate-name': () => problems.conflict('A thing named t1 exists already'),
        },
      })
    expect((await problemOf(refuse('not-found'))).status).toBe(404)
    expect((await problemOf(refuse('duplicate-name'))).status).toBe(409)
  })
})
