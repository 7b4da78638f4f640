import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../../worker/src/crypto/hash'
import type { Client } from '../../../worker/src/domain/client'
import { OAuthError } from '../../../worker/src/errors'
import { grantAuthorizationCode } from '../../../worker/src/steps/grant-authorization-code'
import { findClientCredentials } from '../../../worker/src/storage/client-authentication'
import { replaceClient } from '../../../worker/src/storage/clients'
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  Browser,
  responseParams,
  SPA_CLIENT_ID,
  SPA_REDIRECT,
  spaRequest,
} from '../helpers/browser'
import { testDeps } from '../helpers/deps'
import { createHybridClient } from '../helpers/hybrid'
import { seedDemoTenant } from '../helpers/tenant'
import { testDb } from '../helpers/worker'

const browser = new Browser()

async function clientById(id: string): Promise<Client> {
  const record = await findClientCredentials(testDb(), id)
  if (record === null) throw new Error(`no client ${id}`)
  return record.client
}

/** A fresh SPA code, its verifier, and when it expires (as stored). */
async function freshCode() {
  const { query, verifier } = await spaRequest()
  const code =
    responseParams(
      await browser.authorize(query, {
        email: ADMIN_EMAIL,
        password: ADMIN_PASSWORD,
      }),
    ).get('code') ?? ''
  const row = await env.DB.prepare(
    'SELECT expires_at FROM authorization_codes WHERE code_hash = ?1',
  )
    .bind(await sha256(code))
    .first<{ expires_at: number }>()
  if (row === null) throw new Error('code not stored')
  return {
    request: {
      grantType: 'authorization_code' as const,
      code,
      redirectUri: SPA_REDIRECT,
      codeVerifier: verifier,
      resources: [],
    },
    expiresAt: row.expires_at,
  }
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

describe('grantAuthorizationCode (frozen clock)', () => {
  it('C03 refuses a code from the second it expires, without consuming it', async () => {
    const spa = await clientById(SPA_CLIENT_ID)
    const { request, expiresAt } = await freshCode()
    const at = (now: number) => grantAuthorizationCode(testDeps({ now: () => now }), spa, request)
    expect(await errorCode(at(expiresAt))).toBe('invalid_grant')
    const tokens = await at(expiresAt - 1)
    expect(tokens.access_token).toEqual(expect.any(String))
  })

  it('N01 C04 refuses a code to another authenticated client, without consuming it', async () => {
    const spa = await clientById(SPA_CLIENT_ID)
    const other = await clientById((await createHybridClient()).id)
    const { request } = await freshCode()
    expect(await errorCode(grantAuthorizationCode(testDeps(), other, request))).toBe(
      'invalid_grant',
    )
    const tokens = await grantAuthorizationCode(testDeps(), spa, request)
    expect(tokens.access_token).toEqual(expect.any(String))
  })

  // Last in this file: it leaves the SPA's tokens_valid_after in the future of the real clock.
  it('N04 refuses a code issued before its client was disabled, after it is enabled again', async () => {
    const spa = await clientById(SPA_CLIENT_ID)
    const { request, expiresAt } = await freshCode()
    const disabledAt = expiresAt - 30
    const cutoff = () =>
      env.DB.prepare('SELECT tokens_valid_after AS at FROM clients WHERE id = ?1')
        .bind(SPA_CLIENT_ID)
        .first<{ at: number }>()
    const before = (await cutoff())?.at ?? 0
    try {
      await replaceClient(testDb(), { ...spa, enabled: false, updatedAt: disabledAt })
      await replaceClient(testDb(), { ...spa, enabled: true, updatedAt: disabledAt })
      expect((await cutoff())?.at).toBe(disabledAt)
      const deps = testDeps({ now: () => disabledAt + 1 })
      expect(await errorCode(grantAuthorizationCode(deps, spa, request))).toBe('invalid_grant')
    } finally {
      // The cutoff lies ahead of the real clock: put it back for the tests that follow.
      await env.DB.prepare('UPDATE clients SET tokens_valid_after = ?1 WHERE id = ?2')
        .bind(before, SPA_CLIENT_ID)
        .run()
    }
  })
})
