import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../worker/src/index'
import { PURGE_GRACE_SECONDS } from '../../worker/src/storage/purge'
import { signedInTokens } from './helpers/browser'
import { seedDemoTenant } from './helpers/tenant'
import { fetchWorker } from './helpers/worker'

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0

describe('the daily Cron Trigger', () => {
  it('pre-publishes next signing keys through the entry point', async () => {
    await fetchWorker('/.well-known/jwks.json')
    const before = await count("signing_keys WHERE state = 'next'")
    await worker.scheduled(createScheduledController({ cron: '17 3 * * *' }), env)
    expect(await count("signing_keys WHERE state = 'next'")).toBeGreaterThan(before)
  })

  it('deletes codes a week after they expired, and nothing live', async () => {
    await seedDemoTenant()
    const { tokens } = await signedInTokens()
    const old = Math.floor(Date.now() / 1000) - PURGE_GRACE_SECONDS - 60
    await env.DB.prepare('UPDATE authorization_codes SET expires_at = ?1').bind(old).run()
    const liveSessions = await count('sessions')
    expect(await count('authorization_codes')).toBeGreaterThan(0)
    await worker.scheduled(createScheduledController({ cron: '17 3 * * *' }), env)
    expect(await count('authorization_codes')).toBe(0)
    // The live session and its grant are kept: the access token still works.
    expect(await count('sessions')).toBe(liveSessions)
    const userinfo = await fetchWorker('/userinfo', {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    })
    expect(userinfo.status).toBe(200)
  })
})
