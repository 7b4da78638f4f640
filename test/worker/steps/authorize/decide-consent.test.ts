import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { newClient, type ThirdPartyMetadata } from '../../../../worker/src/domain/client'
import { OAuthError } from '../../../../worker/src/errors'
import type { Prompt } from '../../../../worker/src/steps/authorize/check-prompt'
import {
  type ConsentAnswer,
  decideConsent,
} from '../../../../worker/src/steps/authorize/decide-consent'
import { insertClient } from '../../../../worker/src/storage/clients'
import { createUser } from '../../helpers/browser'
import { testDeps } from '../../helpers/deps'
import { seedDemoTenant, TENANT_ID } from '../../helpers/tenant'
import { testDb } from '../../helpers/worker'

/** The frozen clock of these tests (Unix seconds). */
const NOW = 1_900_000_000

const thirdParty: ThirdPartyMetadata = {
  registration: 'dynamic',
  tokenEndpointAuthMethod: 'none',
  jwksUri: null,
  logoUri: null,
  clientUri: null,
}
const client = newClient(
  {
    id: crypto.randomUUID(),
    tenantId: TENANT_ID,
    type: 'authorization-code',
    name: 'Step Agent',
    roleIds: [],
    redirectUris: ['https://step-agent.example/cb'],
    thirdParty,
  },
  NOW,
)
let userId: string

beforeAll(async () => {
  await seedDemoTenant()
  await insertClient(testDb(), client, undefined)
  userId = await createUser(`consent-step-${crypto.randomUUID()}@demo.example`, 'step password 42')
})

function decide(
  scope: string[],
  options: { prompt?: Prompt[]; answer?: ConsentAnswer; resources?: string[]; now?: number } = {},
) {
  return decideConsent(testDeps({ now: () => options.now ?? NOW }), {
    client: { ...client, thirdParty },
    userId,
    scope,
    resources: options.resources ?? [],
    prompt: new Set(options.prompt ?? []),
    answer: options.answer,
  })
}

async function thrown(run: Promise<unknown>): Promise<OAuthError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(OAuthError)
  return error as OAuthError
}

describe('decideConsent (OIDC Core §3.1.2.4, §3.1.2.6)', () => {
  it('H03 asks without a consent, and answers consent_required to prompt=none', async () => {
    expect(await decide(['openid'])).toBe('ask')
    expect((await thrown(decide(['openid'], { prompt: ['none'] }))).code).toBe('consent_required')
  })

  it('records Allow as the union of what was allowed, at the frozen time, then goes on', async () => {
    expect(await decide(['openid', 'profile'], { answer: 'allow' })).toBe('go-on')
    const later = NOW + 60
    const resources = ['https://api.step.example/']
    expect(await decide(['openid', 'email'], { answer: 'allow', resources, now: later })).toBe(
      'go-on',
    )
    const row = await env.DB.prepare(
      'SELECT scopes, resources, created_at, updated_at FROM consents WHERE user_id = ?1 AND client_id = ?2',
    )
      .bind(userId, client.id)
      .first<{ scopes: string; resources: string; created_at: number; updated_at: number }>()
    expect(JSON.parse(row?.scopes ?? '[]').sort()).toEqual(['email', 'openid', 'profile'])
    expect(JSON.parse(row?.resources ?? '[]')).toEqual(resources)
    expect(row?.created_at).toBe(NOW)
    expect(row?.updated_at).toBe(later)

    expect(await decide(['profile'], { prompt: ['none'], resources })).toBe('go-on')
    expect(await decide(['openid'], { prompt: ['consent'] })).toBe('ask')
    expect(await decide(['openid', 'offline_access'])).toBe('ask')
    expect(await decide(['openid'], { resources: ['https://other.step.example/'] })).toBe('ask')
  })

  it('answers Deny with access_denied and records nothing', async () => {
    const error = await thrown(decide(['openid', 'address'], { answer: 'deny' }))
    expect(error.code).toBe('access_denied')
    const row = await env.DB.prepare(
      'SELECT scopes FROM consents WHERE user_id = ?1 AND client_id = ?2',
    )
      .bind(userId, client.id)
      .first<{ scopes: string }>()
    expect(JSON.parse(row?.scopes ?? '[]')).not.toContain('address')
  })
})
