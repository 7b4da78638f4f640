import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { authenticatePasskey } from '../../../../worker/src/steps/passkeys/authenticate-passkey'
import { finishPasskeyRegistration } from '../../../../worker/src/steps/passkeys/finish-registration'
import { startPasskeySignIn } from '../../../../worker/src/steps/passkeys/start-authentication'
import {
  type PasskeyHolder,
  startPasskeyRegistration,
} from '../../../../worker/src/steps/passkeys/start-registration'
import { createUser } from '../../helpers/browser'
import { testDeps } from '../../helpers/deps'
import { SoftwareAuthenticator } from '../../helpers/software-authenticator'
import { seedDemoTenant, TENANT_ID } from '../../helpers/tenant'
import { ISSUER } from '../../helpers/worker'

/** The frozen clock of these tests (Unix seconds), well after the real one. */
const SIGNED_IN = 1_900_000_000
const at = (now: number) => testDeps({ now: () => now })

beforeAll(seedDemoTenant)

async function holder(): Promise<PasskeyHolder> {
  const email = `ceremony-${crypto.randomUUID()}@example.com`
  const userId = await createUser(email, 'ceremony password 42')
  return { tenantId: TENANT_ID, userId, email, name: '', authTime: SIGNED_IN }
}

/** Registers a passkey of a new user through the steps, at `now`. */
async function registered(now = SIGNED_IN + 10) {
  const user = await holder()
  const authenticator = new SoftwareAuthenticator()
  const options = await startPasskeyRegistration(at(now), user)
  if (options === 'reauthenticate') throw new Error('not recent')
  const credential = JSON.stringify(await authenticator.create(options, ISSUER))
  expect(await finishPasskeyRegistration(at(now), user, { credential, name: 'Key' })).toBe('added')
  return { user, authenticator }
}

describe('passkey ceremonies (steps, frozen clock)', () => {
  it('refuses to start or finish a registration more than five minutes after the sign-in', async () => {
    const user = await holder()
    expect(await startPasskeyRegistration(at(SIGNED_IN + 301), user)).toBe('reauthenticate')
    const options = await startPasskeyRegistration(at(SIGNED_IN + 290), user)
    if (options === 'reauthenticate') throw new Error('not recent')
    const credential = JSON.stringify(await new SoftwareAuthenticator().create(options, ISSUER))
    expect(
      await finishPasskeyRegistration(at(SIGNED_IN + 301), user, { credential, name: 'Key' }),
    ).toBe('reauthenticate')
  })

  it('M01 refuses a stale sign-in challenge (older than 10 minutes), and a fresh one only once', async () => {
    const { authenticator } = await registered()
    const issuedAt = SIGNED_IN + 100
    const stale = await startPasskeySignIn(at(issuedAt), TENANT_ID)
    const late = JSON.stringify(await authenticator.get(stale.challenge, ISSUER, 'localhost'))
    expect(await authenticatePasskey(at(issuedAt + 600), TENANT_ID, late, '192.0.2.10')).toEqual({
      ok: false,
      reason: 'invalid',
    })
    const fresh = await startPasskeySignIn(at(issuedAt), TENANT_ID)
    const answer = JSON.stringify(await authenticator.get(fresh.challenge, ISSUER, 'localhost'))
    expect(
      await authenticatePasskey(at(issuedAt + 599), TENANT_ID, answer, '192.0.2.11'),
    ).toMatchObject({ ok: true, amr: ['hwk', 'mfa', 'pop', 'user'] })
    expect(await authenticatePasskey(at(issuedAt + 599), TENANT_ID, answer, '192.0.2.11')).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  it('refuses a registration challenge answered as a sign-in', async () => {
    const { user, authenticator } = await registered()
    const options = await startPasskeyRegistration(at(SIGNED_IN + 20), user)
    if (options === 'reauthenticate') throw new Error('not recent')
    const answer = JSON.stringify(await authenticator.get(options.challenge, ISSUER, 'localhost'))
    expect(await authenticatePasskey(at(SIGNED_IN + 30), TENANT_ID, answer, '192.0.2.12')).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  it("refuses a disabled user's passkey", async () => {
    const { user, authenticator } = await registered()
    await env.DB.prepare('UPDATE users SET enabled = 0 WHERE id = ?1').bind(user.userId).run()
    const options = await startPasskeySignIn(at(SIGNED_IN + 40), TENANT_ID)
    const answer = JSON.stringify(await authenticator.get(options.challenge, ISSUER, 'localhost'))
    expect(await authenticatePasskey(at(SIGNED_IN + 50), TENANT_ID, answer, '192.0.2.13')).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  it('refuses to register a credential id that another user registered already (WebAuthn §7.1 step 26)', async () => {
    const { authenticator } = await registered()
    const thief = await holder()
    const copy = new SoftwareAuthenticator()
    copy.credentialId.set(authenticator.credentialId)
    const options = await startPasskeyRegistration(at(SIGNED_IN + 60), thief)
    if (options === 'reauthenticate') throw new Error('not recent')
    const credential = JSON.stringify(await copy.create(options, ISSUER))
    expect(
      await finishPasskeyRegistration(at(SIGNED_IN + 60), thief, { credential, name: 'Copy' }),
    ).toBe('duplicate')
  })
})
