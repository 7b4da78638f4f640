import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../../worker/src/crypto/hash'
import type { Client } from '../../../worker/src/domain/client'
import { REFRESH_TOKEN_IDLE_SECONDS } from '../../../worker/src/domain/refresh-token'
import { OAuthError } from '../../../worker/src/errors'
import { grantRefreshToken } from '../../../worker/src/steps/grant-refresh-token'
import { findClientCredentials } from '../../../worker/src/storage/client-authentication'
import { testDeps } from '../helpers/deps'
import { createHybridClient, hybridTokens } from '../helpers/hybrid'
import { seedDemoTenant } from '../helpers/tenant'
import { testDb } from '../helpers/worker'

async function clientById(id: string): Promise<Client> {
  const record = await findClientCredentials(testDb(), id)
  if (record === null) throw new Error(`no client ${id}`)
  return record.client
}

/** A hybrid client allowed refresh tokens, its first refresh token, and its stored lifetimes. */
async function refreshable() {
  const created = await createHybridClient({ allowRefreshToken: true })
  const { tokens } = await hybridTokens(created)
  const refreshToken = tokens.refresh_token ?? ''
  const row = await env.DB.prepare(
    `SELECT r.expires_at, g.expires_at AS grant_expires_at
     FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = ?1`,
  )
    .bind(await sha256(refreshToken))
    .first<{ expires_at: number; grant_expires_at: number }>()
  if (row === null) throw new Error('refresh token not stored')
  return {
    client: await clientById(created.id),
    refreshToken,
    expiresAt: row.expires_at,
    grantExpiresAt: row.grant_expires_at,
  }
}

function refreshAt(now: number, client: Client, refreshToken: string) {
  return grantRefreshToken(testDeps({ now: () => now }), client, {
    grantType: 'refresh_token',
    refreshToken,
    scope: undefined,
    resources: [],
  })
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'none'
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    return error.code
  }
}

beforeAll(seedDemoTenant)

describe('grantRefreshToken (frozen clock)', () => {
  it(`F07 ends an unused refresh token after ${REFRESH_TOKEN_IDLE_SECONDS} s idle, not a second before`, async () => {
    const { client, refreshToken, expiresAt } = await refreshable()
    expect(await errorCode(refreshAt(expiresAt, client, refreshToken))).toBe('invalid_grant')
    const next = await refreshAt(expiresAt - 1, client, refreshToken)
    expect(next.refresh_token).toEqual(expect.any(String))
  })

  it('F07 ends a grant at its absolute lifetime, however often its tokens are rotated', async () => {
    const { client, refreshToken, expiresAt, grantExpiresAt } = await refreshable()
    let token = refreshToken
    let now = expiresAt - 1
    // Rotate within each idle window until a new token's idle end lies past the grant's end.
    for (;;) {
      token = (await refreshAt(now, client, token)).refresh_token
      if (now + REFRESH_TOKEN_IDLE_SECONDS >= grantExpiresAt) break
      now += REFRESH_TOKEN_IDLE_SECONDS - 3600
    }
    const last = (await refreshAt(grantExpiresAt - 1, client, token)).refresh_token
    expect(await errorCode(refreshAt(grantExpiresAt, client, last))).toBe('invalid_grant')
  })
})
