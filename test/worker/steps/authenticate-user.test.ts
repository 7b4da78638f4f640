import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Logger } from '../../../worker/src/logger'
import {
  ADDRESS_SIGN_IN_FAILURE_WINDOW_SECONDS,
  authenticateUser,
  MAX_ADDRESS_SIGN_IN_FAILURES,
  MAX_SIGN_IN_FAILURES,
  SIGN_IN_FAILURE_ALERT,
  SIGN_IN_FAILURE_WINDOW_SECONDS,
} from '../../../worker/src/steps/authenticate-user'
import { failureKeys } from '../../../worker/src/storage/auth-failures'
import { Db } from '../../../worker/src/storage/db'
import { createUser } from '../helpers/browser'
import { testDeps } from '../helpers/deps'
import { seedDemoTenant, TENANT_ID } from '../helpers/tenant'

const T0 = 1_900_000_000
const PASSWORD = 'the right password 123'

beforeAll(seedDemoTenant)

/** A fresh address for each test, so the per-address counter starts at zero. */
function freshIp(): string {
  const byte = () => Math.floor(Math.random() * 256)
  return `10.${byte()}.${byte()}.${byte()}`
}

async function newUser(): Promise<string> {
  const email = `step-${crypto.randomUUID()}@demo.example`
  await createUser(email, PASSWORD)
  return email
}

async function failures(key: string): Promise<number | null> {
  const row = await env.DB.prepare('SELECT failures FROM auth_failures WHERE key = ?1')
    .bind(key)
    .first<{ failures: number }>()
  return row?.failures ?? null
}

describe('authenticateUser', () => {
  it('N02 throttles an account from one address after 5 failures until its 15-minute window ends, even for the right password', async () => {
    const email = await newUser()
    const ip = freshIp()
    const at = (now: number) => testDeps({ now: () => now })
    for (let i = 0; i < MAX_SIGN_IN_FAILURES; i++) {
      expect(await authenticateUser(at(T0 + i), TENANT_ID, email, `wrong ${i}`, ip)).toEqual({
        ok: false,
        reason: 'invalid',
      })
    }
    const windowEnds = T0 + SIGN_IN_FAILURE_WINDOW_SECONDS
    expect(await authenticateUser(at(windowEnds - 1), TENANT_ID, email, PASSWORD, ip)).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterSeconds: 1,
    })
    const after = await authenticateUser(at(windowEnds), TENANT_ID, email, PASSWORD, ip)
    expect(after).toMatchObject({ ok: true })
  })

  it('N02 throttles an address after 20 failures across accounts until its 60-second window ends', async () => {
    const ip = freshIp()
    const at = (now: number) => testDeps({ now: () => now })
    for (let i = 0; i < MAX_ADDRESS_SIGN_IN_FAILURES; i++) {
      const result = await authenticateUser(at(T0), TENANT_ID, `spray-${i}@demo.example`, 'x', ip)
      expect(result).toEqual({ ok: false, reason: 'invalid' })
    }
    const email = await newUser()
    const windowEnds = T0 + ADDRESS_SIGN_IN_FAILURE_WINDOW_SECONDS
    expect(await authenticateUser(at(T0 + 15), TENANT_ID, email, PASSWORD, ip)).toEqual({
      ok: false,
      reason: 'throttled',
      retryAfterSeconds: windowEnds - (T0 + 15),
    })
    expect(await authenticateUser(at(windowEnds), TENANT_ID, email, PASSWORD, ip)).toMatchObject({
      ok: true,
    })
  })

  it('N02 checks at most 5 of 13 concurrent guesses for one account from one address', async () => {
    let checked = 0
    const deps = testDeps({ now: () => T0 })
    // An unknown email is checked against the decoy hash: each check asks for it once.
    const counting = testDeps({
      now: () => T0,
      decoyPasswordHash: () => {
        checked++
        return deps.decoyPasswordHash()
      },
    })
    const email = `nobody-${crypto.randomUUID()}@demo.example`
    const ip = freshIp()
    const results = await Promise.all(
      Array.from({ length: 13 }, (_, i) =>
        authenticateUser(counting, TENANT_ID, email, `guess ${i}`, ip),
      ),
    )
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(5)
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(8)
    expect(checked).toBe(MAX_SIGN_IN_FAILURES)
    expect(await failures(failureKeys.accountFrom(TENANT_ID, email, ip))).toBe(5)
  })

  it('N02 counts 20 concurrent guesses at a known account as exactly 5 failures', async () => {
    const email = await newUser()
    const ip = freshIp()
    const deps = testDeps({ now: () => T0 })
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => authenticateUser(deps, TENANT_ID, email, `g${i}`, ip)),
    )
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(5)
    expect(await failures(failureKeys.accountFrom(TENANT_ID, email, ip))).toBe(5)
    expect(await failures(failureKeys.signInsFrom(ip))).toBe(5)
    expect(await failures(failureKeys.account(TENANT_ID, email))).toBe(5)
  })

  it('N02 counts IPv6 addresses of one /64 together', async () => {
    const email = await newUser()
    const deps = testDeps({ now: () => T0 })
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`
    for (let i = 0; i < MAX_SIGN_IN_FAILURES; i++) {
      await authenticateUser(deps, TENANT_ID, email, 'wrong', `${prefix}::${i + 1}`)
    }
    expect(
      await authenticateUser(deps, TENANT_ID, email, PASSWORD, `${prefix}:ffff::9`),
    ).toMatchObject({
      reason: 'throttled',
    })
    expect(await failures(failureKeys.accountFrom(TENANT_ID, email, `${prefix}::/64`))).toBe(5)
    expect(await authenticateUser(deps, TENANT_ID, email, PASSWORD, `${prefix}1::1`)).toMatchObject(
      {
        ok: true,
      },
    )
  })

  it('forgets the failures from an address after a success, and gives its attempt back to the others', async () => {
    const email = await newUser()
    const ip = freshIp()
    const deps = testDeps({ now: () => T0 })
    for (let i = 0; i < 3; i++) await authenticateUser(deps, TENANT_ID, email, 'wrong', ip)
    expect(await authenticateUser(deps, TENANT_ID, email, PASSWORD, ip)).toMatchObject({ ok: true })
    expect(await failures(failureKeys.accountFrom(TENANT_ID, email, ip))).toBeNull()
    expect(await failures(failureKeys.signInsFrom(ip))).toBe(3)
    expect(await failures(failureKeys.account(TENANT_ID, email))).toBe(3)
  })

  it('answers an unknown email and a wrong password after the same D1 work (no user enumeration)', async () => {
    const email = await newUser()
    const roundTrips = async (address: string) => {
      const db = new Db(env.DB)
      const result = await authenticateUser(
        testDeps({ db }),
        TENANT_ID,
        address,
        'wrong',
        freshIp(),
      )
      return { result, roundTrips: db.roundTrips }
    }
    const known = await roundTrips(email)
    const unknown = await roundTrips(`nobody-${crypto.randomUUID()}@demo.example`)
    expect(known).toEqual({ result: { ok: false, reason: 'invalid' }, roundTrips: 1 })
    expect(unknown).toEqual(known)
  })

  it('N02 answers an unknown email after the same PBKDF2 work as a wrong password, even first in an isolate', async () => {
    const email = await newUser()
    const derivations = async (address: string) => {
      const deriveBits = vi.spyOn(crypto.subtle, 'deriveBits')
      try {
        // Fresh services, as in a new isolate: nothing made before this attempt.
        await authenticateUser(testDeps(), TENANT_ID, address, 'wrong', freshIp())
        return deriveBits.mock.calls.length
      } finally {
        deriveBits.mockRestore()
      }
    }
    const known = await derivations(email)
    expect(known).toBe(1)
    expect(await derivations(`nobody-${crypto.randomUUID()}@demo.example`)).toBe(known)
  })

  it('raises the alert at the 20th failure of an account from anywhere', async () => {
    const email = await newUser()
    const warnings: string[] = []
    const log = { ...testDeps().log, warn: (event: string) => warnings.push(event) } as Logger
    const deps = testDeps({ now: () => T0, log })
    for (let i = 0; i < SIGN_IN_FAILURE_ALERT; i++) {
      await authenticateUser(deps, TENANT_ID, email, 'wrong', freshIp())
    }
    expect(warnings).toEqual(['user.sign_in_failures'])
  })
})
