import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../../worker/src/crypto/hash'
import type { Deps } from '../../../worker/src/deps'
import { OAuthError } from '../../../worker/src/errors'
import { authenticateClient, verifyClient } from '../../../worker/src/steps/authenticate-client'
import {
  CLIENT_AUTH_FAILURE_WINDOW_SECONDS,
  MAX_CLIENT_AUTH_FAILURES,
} from '../../../worker/src/steps/count-client-auth-failure'
import { findClientCredentials } from '../../../worker/src/storage/client-authentication'
import { SPA_CLIENT_ID } from '../helpers/browser'
import { testDeps } from '../helpers/deps'
import { adminToken, api, basic, seedDemoTenant } from '../helpers/tenant'
import { testDb } from '../helpers/worker'

/** The frozen clock's start: later than now, well within the secrets' default year. */
const T = Math.floor(Date.now() / 1000) + 3600

/** A limiter that never limits and counts its calls: the D1 rules alone are under test. */
function countingLimiter() {
  const calls: string[] = []
  const limiter = {
    limit: async ({ key }: { key: string }) => {
      calls.push(key)
      return { success: true }
    },
  }
  return { calls, limiter }
}

function depsAt(now: () => number, limiter = countingLimiter().limiter): Deps {
  return testDeps({
    now,
    limiters: { ...testDeps().limiters, clientAuthFailures: limiter },
  })
}

async function outcome(promise: Promise<unknown>): Promise<number> {
  try {
    await promise
    return 200
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    expect(error.code).toBe('invalid_client')
    return error.status
  }
}

let client: { id: string; secret: { value: string } }

beforeAll(async () => {
  await seedDemoTenant()
  const response = await api(await adminToken(), 'POST', '/client-credential-clients', {
    name: 'Step test service',
  })
  client = (await response.json()) as typeof client
})

describe('authenticateClient: the lockout window (frozen clock)', () => {
  it(`D08 locks an address out at ${MAX_CLIENT_AUTH_FAILURES} failures, for the rest of the ${CLIENT_AUTH_FAILURE_WINDOW_SECONDS} s window, then lets it in`, async () => {
    let now = T
    const deps = depsAt(() => now)
    const ip = `198.18.9.${Math.floor(Math.random() * 255)}`
    const attempt = (secret: string) =>
      authenticateClient(deps, {
        authorization: basic(client.id, secret),
        params: new Map(),
        ip,
      })
    const statuses: number[] = []
    for (let i = 0; i < MAX_CLIENT_AUTH_FAILURES; i++)
      statuses.push(await outcome(attempt('wrong')))
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    now = T + CLIENT_AUTH_FAILURE_WINDOW_SECONDS - 1
    expect(await outcome(attempt(client.secret.value))).toBe(429)
    // Another address is judged by its own failures only.
    expect(
      await outcome(
        authenticateClient(deps, {
          authorization: basic(client.id, client.secret.value),
          params: new Map(),
          ip: '198.18.9.254',
        }),
      ),
    ).toBe(200)
    now = T + CLIENT_AUTH_FAILURE_WINDOW_SECONDS
    expect(await outcome(attempt(client.secret.value))).toBe(200)
  })

  it('D08 starts a new window once the old one has ended: failures spread out never lock out', async () => {
    let now = T
    const deps = depsAt(() => now)
    const ip = '198.18.10.1'
    for (let i = 0; i < MAX_CLIENT_AUTH_FAILURES * 2; i++) {
      now = T + i * (CLIENT_AUTH_FAILURE_WINDOW_SECONDS / 10)
      const status = await outcome(
        authenticateClient(deps, {
          authorization: basic(client.id, 'wrong'),
          params: new Map(),
          ip,
        }),
      )
      expect(status).toBe(401)
    }
  })
})

describe('verifyClient: secret expiry (frozen clock)', () => {
  it('D05 accepts a secret until the second it expires, and refuses it from then on', async () => {
    const record = await findClientCredentials(testDb(), client.id, '198.18.11.1')
    if (record === null) throw new Error('client not found')
    const secret = 'a-secret-that-expires'
    const expiring = {
      ...record,
      secrets: [{ id: 'expiring', hash: await sha256(secret), expiresAt: T + 60 }],
    }
    const presented = {
      clientId: client.id,
      secret,
      method: 'client_secret_post' as const,
      challenge: {},
    }
    const at = (now: number) =>
      outcome(
        verifyClient(
          depsAt(() => now),
          presented,
          expiring,
          '198.18.11.1',
        ),
      )
    expect(await at(T + 59)).toBe(200)
    expect(await at(T + 60)).toBe(401)
  })
})

describe('authenticateClient: public clients', () => {
  it('N08 refuses a client_secret sent for a public client without counting it anywhere', async () => {
    const { calls, limiter } = countingLimiter()
    const deps = depsAt(() => T, limiter)
    const ip = '198.18.12.1'
    for (let i = 0; i < MAX_CLIENT_AUTH_FAILURES + 5; i++) {
      const status = await outcome(
        authenticateClient(deps, {
          authorization: undefined,
          params: new Map([
            ['client_id', SPA_CLIENT_ID],
            ['client_secret', `guess-${i}`],
          ]),
          ip,
        }),
      )
      expect(status).toBe(401)
    }
    expect(calls).toEqual([])
    const counter = await env.DB.prepare('SELECT 1 FROM auth_failures WHERE key = ?1')
      .bind(`client:${SPA_CLIENT_ID}@${ip}`)
      .first()
    expect(counter).toBeNull()
    const authenticated = await authenticateClient(deps, {
      authorization: undefined,
      params: new Map([['client_id', SPA_CLIENT_ID]]),
      ip,
    })
    expect(authenticated.method).toBe('none')
  })

  it('refuses a confidential client that presents only its id, and counts it', async () => {
    const { calls, limiter } = countingLimiter()
    const deps = depsAt(() => T, limiter)
    const status = await outcome(
      authenticateClient(deps, {
        authorization: undefined,
        params: new Map([['client_id', client.id]]),
        ip: '198.18.12.2',
      }),
    )
    expect(status).toBe(401)
    expect(calls.length).toBe(2)
  })
})
