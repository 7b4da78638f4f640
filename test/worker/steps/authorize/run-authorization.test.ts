import { beforeAll, describe, expect, it } from 'vitest'
import { OAuthError } from '../../../../worker/src/errors'
import { readAuthorizationRequest } from '../../../../worker/src/steps/authorize/authorization-request'
import { openInteraction } from '../../../../worker/src/steps/authorize/interaction'
import { runAuthorization } from '../../../../worker/src/steps/authorize/run-authorization'
import { createSession } from '../../../../worker/src/steps/create-session'
import { createUser, SPA_REDIRECT, spaRequest } from '../../helpers/browser'
import { testDeps } from '../../helpers/deps'
import { seedDemoTenant, TENANT_ID } from '../../helpers/tenant'

/** The frozen clock of these tests (Unix seconds): the session is made at SIGNED_IN. */
const SIGNED_IN = 1_900_000_000
let secret: string

beforeAll(async () => {
  await seedDemoTenant()
  const userId = await createUser(`step-${crypto.randomUUID()}@demo.example`, 'step password 42')
  ;({ secret } = await createSession(testDeps({ now: () => SIGNED_IN }), TENANT_ID, userId, [
    'pwd',
  ]))
})

/** Runs the pipeline at `now` with the browser's session and a valid SPA request. */
async function authorizeAt(now: number, overrides: Record<string, string> = {}) {
  const { query } = await spaRequest(overrides)
  const request = readAuthorizationRequest(new URLSearchParams(query))
  return runAuthorization(testDeps({ now: () => now }), request, { sessionSecret: secret })
}

/** The error the pipeline throws. */
async function thrown(run: Promise<unknown>): Promise<OAuthError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(OAuthError)
  return error as OAuthError
}

describe('runAuthorization with a frozen clock', () => {
  it('H06 H07 answers from the session while its auth_time is at most max_age seconds old', async () => {
    const atLimit = await authorizeAt(SIGNED_IN + 300, { max_age: '300' })
    expect(atLimit.kind).toBe('response')
    const past = await authorizeAt(SIGNED_IN + 301, { max_age: '300' })
    expect(past.kind).toBe('sign-in')
  })

  it('H01 refuses prompt=none past max_age with login_required, recorded for the verified redirect URI', async () => {
    const error = await thrown(
      authorizeAt(SIGNED_IN + 301, { max_age: '300', prompt: 'none', state: 'st' }),
    )
    expect(error.code).toBe('login_required')
    expect(error.allowRedirect).toBe(true)
    expect(error.redirectTo).toEqual({
      redirectUri: SPA_REDIRECT,
      responseMode: 'query',
      state: 'st',
    })
  })

  it('asks to sign in once the session has expired at the frozen clock', async () => {
    const outcome = await authorizeAt(SIGNED_IN + 8 * 24 * 3600)
    expect(outcome.kind).toBe('sign-in')
  })

  it('seals the pending request into the sign-in outcome, to resume it unchanged', async () => {
    const outcome = await authorizeAt(SIGNED_IN + 10, { prompt: 'login', state: 'keep' })
    if (outcome.kind !== 'sign-in') throw new Error('expected sign-in')
    expect(outcome.redirectUri).toBe(SPA_REDIRECT)
    const resumed = await openInteraction(testDeps(), outcome.interaction)
    expect(resumed?.state).toBe('keep')
    expect(resumed?.prompt).toBe('login')
  })

  it('A01 A02 throws page errors, never recorded for a redirect, until the redirect URI is verified', async () => {
    const unknown = await thrown(authorizeAt(SIGNED_IN, { client_id: crypto.randomUUID() }))
    expect(unknown.allowRedirect).toBe(false)
    expect(unknown.redirectTo).toBeUndefined()
    expect(unknown.page?.title).toBe('Unknown application')
    const unregistered = await thrown(
      authorizeAt(SIGNED_IN, { redirect_uri: 'https://evil.example/cb', scope: 'bogus' }),
    )
    expect(unregistered.redirectTo).toBeUndefined()
    expect(unregistered.page?.title).toBe('Invalid redirect address')
  })

  it('N09 A03 records the verified target on later errors, without an overlong state', async () => {
    const scope = await thrown(authorizeAt(SIGNED_IN, { scope: 'bogus', state: 's1' }))
    expect(scope.code).toBe('invalid_scope')
    expect(scope.redirectTo?.state).toBe('s1')
    const long = await thrown(authorizeAt(SIGNED_IN, { state: 'x'.repeat(513) }))
    expect(long.code).toBe('invalid_request')
    expect(long.description).toBe('state must be at most 512 characters')
    expect(long.redirectTo).toEqual({
      redirectUri: SPA_REDIRECT,
      responseMode: 'query',
      state: undefined,
    })
  })
})
