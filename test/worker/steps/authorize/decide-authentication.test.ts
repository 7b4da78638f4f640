import { describe, expect, it } from 'vitest'
import type { Prompt } from '../../../../worker/src/steps/authorize/check-prompt'
import { decideAuthentication } from '../../../../worker/src/steps/authorize/decide-authentication'
import type { SessionWithUser } from '../../../../worker/src/storage/sessions'

/** The frozen clock of these tests (Unix seconds). */
const NOW = 1_900_000_000
const TENANT = 'tenant-1'

const session = (overrides: Partial<SessionWithUser> = {}): SessionWithUser => ({
  id: 'session-1',
  tenantId: TENANT,
  userId: 'user-1',
  authTime: NOW - 600,
  amr: ['pwd'],
  createdAt: NOW - 600,
  lastSeenAt: NOW - 60,
  idleExpiresAt: NOW + 3600,
  expiresAt: NOW + 86_400,
  userEnabled: true,
  ...overrides,
})

const decide = (
  input: Partial<Parameters<typeof decideAuthentication>[0]> & { prompt?: ReadonlySet<Prompt> },
) =>
  decideAuthentication({
    session: session(),
    fresh: false,
    tenantId: TENANT,
    prompt: new Set(),
    maxAge: undefined,
    hintSubject: undefined,
    now: NOW,
    ...input,
  })

describe('decideAuthentication (OIDC Core §3.1.2.1)', () => {
  it('answers with a live session of an enabled user of the tenant', () => {
    expect(decide({})).toEqual({ kind: 'session', session: session() })
  })

  it.each([
    ['no session', { session: null }],
    ['a disabled user', { session: session({ userEnabled: false }) }],
    ['a session of another tenant', { session: session({ tenantId: 'tenant-2' }) }],
    ['a session past its absolute expiry', { session: session({ expiresAt: NOW }) }],
    ['a session past its idle expiry', { session: session({ idleExpiresAt: NOW - 1 }) }],
    [
      'an expired session, even one this request made',
      { session: session({ expiresAt: NOW }), fresh: true },
    ],
  ])('asks to sign in with %s', (_, input) => {
    expect(decide(input)).toEqual({ kind: 'sign-in', reason: 'no-session' })
  })

  it('H06 H07 compares max_age with the age of auth_time at the frozen clock, the boundary included', () => {
    expect(decide({ maxAge: 600 })).toMatchObject({ kind: 'session' })
    expect(decide({ maxAge: 599 })).toEqual({ kind: 'sign-in', reason: 'max-age' })
    expect(decide({ maxAge: 0 })).toEqual({ kind: 'sign-in', reason: 'max-age' })
    expect(decide({ maxAge: 0, session: session({ authTime: NOW }) })).toMatchObject({
      kind: 'session',
    })
  })

  it('H05 asks to sign in again for prompt=login and select_account, except right after sign-in', () => {
    expect(decide({ prompt: new Set(['login']) })).toEqual({ kind: 'sign-in', reason: 'prompt' })
    expect(decide({ prompt: new Set(['select_account']) })).toMatchObject({ kind: 'sign-in' })
    expect(decide({ prompt: new Set(['login']), fresh: true })).toMatchObject({ kind: 'session' })
    expect(decide({ maxAge: 0, fresh: true })).toMatchObject({ kind: 'session' })
  })

  it('H08 asks to sign in when id_token_hint names another user, even right after sign-in', () => {
    expect(decide({ hintSubject: 'user-1' })).toMatchObject({ kind: 'session' })
    expect(decide({ hintSubject: 'user-2' })).toEqual({ kind: 'sign-in', reason: 'other-user' })
    expect(decide({ hintSubject: 'user-2', fresh: true })).toMatchObject({ kind: 'sign-in' })
  })
})
