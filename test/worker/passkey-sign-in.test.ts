// Passkey sign-in on the sign-in page (issue 16, WebAuthn §7.2).
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { Browser, spaRequest } from './helpers/browser'
import {
  accountCsrf,
  addPasskey,
  auditActions,
  expectRefused,
  idTokenOf,
  PASSWORD,
  passkeySignIn,
  RP_ID,
  signedInUser,
  signInPage,
} from './helpers/passkey-flows'
import { SoftwareAuthenticator } from './helpers/software-authenticator'
import { seedDemoTenant, TENANT_ID } from './helpers/tenant'
import { ISSUER } from './helpers/worker'

beforeAll(seedDemoTenant)

describe('passkey sign-in (WebAuthn §7.2)', () => {
  it('signs in to the demo SPA with no password; the ID token says hwk, mfa, pop, user (RFC 8176)', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    await addPasskey(account, authenticator)
    const { response, verifier } = await passkeySignIn(authenticator)
    expect(response.status).toBe(303)
    expect(response.headers.get('Location')).toMatch(/^http:\/\/localhost:5173\/callback\?code=/)
    const idToken = await idTokenOf(response, verifier)
    expect(idToken.sub).toBe(account.userId)
    expect(idToken.amr).toEqual(['hwk', 'mfa', 'pop', 'user'])
    const html = await (await account.browser.fetch('/account')).text()
    expect(html).not.toContain('last used never')
  })

  it('says swk for a passkey that may be synced, and pwd for a password sign-in', async () => {
    const account = await signedInUser()
    const synced = new SoftwareAuthenticator({ backedUp: true })
    await addPasskey(account, synced)
    const { response, verifier } = await passkeySignIn(synced)
    expect((await idTokenOf(response, verifier)).amr).toEqual(['swk', 'mfa', 'pop', 'user'])

    const browser = new Browser()
    const request = await spaRequest()
    const password = await browser.authorize(request.query, {
      email: account.email,
      password: PASSWORD,
    })
    expect((await idTokenOf(password, request.verifier)).amr).toEqual(['pwd'])
  })

  it('H05 H06 makes prompt=login and max_age=0 ask again, and a passkey answers them with a new auth_time', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    await addPasskey(account, authenticator)
    const first = await passkeySignIn(authenticator)
    const signedInAt = (await idTokenOf(first.response, first.verifier)).auth_time as number
    for (const overrides of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
      // The last sign-in happened 10 seconds ago, as far as the session knows.
      await env.DB.prepare('UPDATE sessions SET auth_time = ?2 WHERE user_id = ?1')
        .bind(account.userId, signedInAt - 10)
        .run()
      const { fields, verifier } = await signInPage(first.browser, overrides)
      const options = await (await first.browser.postForm('/signin/passkey', fields)).json<{
        challenge: string
      }>()
      const credential = await authenticator.get(options.challenge, ISSUER, RP_ID)
      const response = await first.browser.postForm('/signin', {
        ...fields,
        passkey: JSON.stringify(credential),
      })
      expect(response.status).toBe(303)
      const idToken = await idTokenOf(response, verifier)
      expect(idToken.auth_time as number).toBeGreaterThan(signedInAt - 10)
      expect(idToken.amr).toContain('pop')
    }
  })

  it('M01 refuses a replayed assertion, and an assertion for a challenge never issued', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator({ backedUp: true })
    await addPasskey(account, authenticator)
    const first = await passkeySignIn(authenticator)
    expect(first.response.status).toBe(303)
    // The same assertion again (its challenge is used), in a new sign-in.
    const { response } = await passkeySignIn(authenticator, async () => first.credential)
    await expectRefused(response)
    const invented = await passkeySignIn(authenticator, () =>
      authenticator.get('aW52ZW50ZWQtYnktdGhlLWF0dGFja2Vy', ISSUER, RP_ID),
    )
    await expectRefused(invented.response)
  })

  it('refuses an assertion whose sign counter went back (a cloned authenticator)', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    await addPasskey(account, authenticator)
    expect((await passkeySignIn(authenticator)).response.status).toBe(303)
    expect((await passkeySignIn(authenticator)).response.status).toBe(303)
    authenticator.signCount = 0
    await expectRefused((await passkeySignIn(authenticator)).response)
  })

  it("refuses an assertion whose user handle is another user's or missing (WebAuthn §7.2 step 6)", async () => {
    const alice = await signedInUser()
    const bob = await signedInUser()
    const aliceKey = new SoftwareAuthenticator()
    const bobKey = new SoftwareAuthenticator()
    await addPasskey(alice, aliceKey)
    await addPasskey(bob, bobKey)
    const own = aliceKey.userHandle
    aliceKey.userHandle = bobKey.userHandle
    await expectRefused((await passkeySignIn(aliceKey)).response)
    aliceKey.userHandle = undefined
    await expectRefused((await passkeySignIn(aliceKey)).response)
    aliceKey.userHandle = own
    expect((await passkeySignIn(aliceKey)).response.status).toBe(303)
  })

  it('refuses an assertion for another RP ID, from another origin, of another type, or without user verification', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    await addPasskey(account, authenticator)
    const answers = [
      (c: string) => authenticator.get(c, ISSUER, 'evil.example'),
      (c: string) => authenticator.get(c, 'https://evil.example', RP_ID),
      (c: string) => authenticator.get(c, ISSUER, RP_ID, 'webauthn.create'),
    ]
    for (const answer of answers)
      await expectRefused((await passkeySignIn(authenticator, answer)).response)
    const unverified = new SoftwareAuthenticator()
    await addPasskey(account, unverified)
    Object.assign(unverified, { options: { userVerified: false } })
    await expectRefused((await passkeySignIn(unverified)).response)
  })

  it("refuses user A's passkey presented with user B's handle, and a credential of another tenant", async () => {
    const alice = await signedInUser()
    const bob = await signedInUser()
    const alicesKey = new SoftwareAuthenticator()
    const bobsKey = new SoftwareAuthenticator()
    await addPasskey(alice, alicesKey)
    await addPasskey(bob, bobsKey)
    alicesKey.userHandle = bobsKey.userHandle
    await expectRefused((await passkeySignIn(alicesKey)).response)

    const otherTenant = crypto.randomUUID()
    await env.DB.batch([
      env.DB.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, 'Other', 0)").bind(
        otherTenant,
      ),
      env.DB.prepare('UPDATE passkeys SET tenant_id = ?1 WHERE credential_id = ?2').bind(
        otherTenant,
        bobsKey.id,
      ),
    ])
    await expectRefused((await passkeySignIn(bobsKey)).response)
  })

  it('N07 answers malformed passkey fields with the generic failure, never a 5xx', async () => {
    const authenticator = new SoftwareAuthenticator()
    const malformed = [
      '',
      'not json',
      '{}',
      '[1]',
      '{"id":"AAAAAAAAAAAAAAAAAAAAAA","rawId":"AAAAAAAAAAAAAAAAAAAAAA","type":"public-key","response":{"clientDataJSON":"!!"}}',
      'x'.repeat(60_000),
    ]
    const browser = new Browser()
    for (const passkey of malformed) {
      const { fields } = await signInPage(browser)
      const response = await browser.postForm('/signin', { ...fields, passkey })
      expect(response.status).toBeLessThan(500)
      expect(response.status).not.toBe(303)
    }
    expect(authenticator.signCount).toBe(0)
  })

  it('N02 counts failed passkey sign-ins under the same limits as passwords: the 6th is throttled, even a valid one', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    await addPasskey(account, authenticator)
    const browser = new Browser()
    for (let i = 0; i < 5; i++) {
      const { response } = await passkeySignIn(
        authenticator,
        (c) => authenticator.get(c, ISSUER, 'evil.example'),
        browser,
      )
      await expectRefused(response)
    }
    const valid = await passkeySignIn(authenticator, undefined, browser)
    expect(valid.response.status).toBe(429)
    expect(valid.response.headers.get('Retry-After')).toMatch(/^\d+$/)
    // The account's password is throttled from this address too: one counter per account.
    const { fields } = await signInPage(browser)
    const password = await browser.postForm('/signin', {
      ...fields,
      email: account.email,
      password: PASSWORD,
    })
    expect(password.status).toBe(429)
  })

  it('refuses a deleted passkey, and audits the deletion', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    await addPasskey(account, authenticator)
    const deleted = await account.browser.postForm('/account/passkeys/delete', {
      csrf: await accountCsrf(account.browser),
      id: authenticator.id,
    })
    expect(deleted.headers.get('Location')).toBe('/account?status=deleted')
    expect(await (await account.browser.fetch('/account')).text()).toContain(
      'You have no passkeys yet.',
    )
    await expectRefused((await passkeySignIn(authenticator)).response)
    expect(await auditActions(account.userId)).toEqual(['passkey.created', 'passkey.deleted'])
  })

  it('refuses to delete a passkey without a sign-in in the last five minutes', async () => {
    const account = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    await addPasskey(account, authenticator)
    await env.DB.prepare('UPDATE sessions SET auth_time = auth_time - 301 WHERE user_id = ?1')
      .bind(account.userId)
      .run()
    const refused = await account.browser.postForm('/account/passkeys/delete', {
      csrf: await accountCsrf(account.browser),
      id: authenticator.id,
    })
    expect(refused.headers.get('Location')).toBe('/account?status=reauthenticate')
    const page = await (await account.browser.fetch('/account?status=reauthenticate')).text()
    expect(page).toContain('Sign in again to add or delete a passkey.')
    expect(page).toContain('href="/account/sign-in"')
    // The passkey is still there and still signs in.
    expect((await passkeySignIn(authenticator)).response.status).toBe(303)
    expect(await auditActions(account.userId)).toEqual(['passkey.created'])
  })

  it("renames a passkey, and never another user's", async () => {
    const alice = await signedInUser()
    const bob = await signedInUser()
    const key = new SoftwareAuthenticator()
    await addPasskey(alice, key)
    const renamed = await alice.browser.postForm('/account/passkeys/rename', {
      csrf: await accountCsrf(alice.browser),
      id: key.id,
      name: 'Laptop <b>',
    })
    expect(renamed.headers.get('Location')).toBe('/account?status=renamed')
    await bob.browser.postForm('/account/passkeys/rename', {
      csrf: await accountCsrf(bob.browser),
      id: key.id,
      name: 'Stolen',
    })
    await bob.browser.postForm('/account/passkeys/delete', {
      csrf: await accountCsrf(bob.browser),
      id: key.id,
    })
    const html = await (await alice.browser.fetch('/account')).text()
    expect(html).toContain('<h3>Laptop &lt;b&gt;</h3>')
    const bad = await alice.browser.postForm('/account/passkeys/rename', {
      csrf: await accountCsrf(alice.browser),
      id: key.id,
      name: ' ',
    })
    expect(bad.headers.get('Location')).toBe('/account?status=bad-name')
  })
})

describe('sign-in page', () => {
  it('offers passkeys in the Email autofill and a Sign in with a passkey button', async () => {
    const response = await new Browser().fetch(
      `/authorize?${new URLSearchParams((await spaRequest()).query)}`,
    )
    const html = await response.text()
    expect(html).toContain('autocomplete="username webauthn"')
    expect(html).toContain('Sign in with a passkey')
    expect(TENANT_ID).not.toBe('')
  })
})
