import { env } from 'cloudflare:workers'
import { decodeJwt } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  Browser,
  createUser,
  exchangeCode,
  hiddenFields,
  responseParams,
  setCookies,
  spaRequest,
} from './helpers/browser'
import { SoftwareAuthenticator } from './helpers/software-authenticator'
import { seedDemoTenant, TENANT_ID } from './helpers/tenant'
import { ISSUER } from './helpers/worker'

beforeAll(seedDemoTenant)

const RP_ID = 'localhost'
const PASSWORD = 'correct horse battery staple 42'

interface Account {
  email: string
  userId: string
  browser: Browser
}

/** A new user of the demo tenant, signed in with the password through the demo SPA. */
async function signedInUser(): Promise<Account> {
  const email = `passkey-${crypto.randomUUID()}@example.com`
  const userId = await createUser(email, PASSWORD)
  const browser = new Browser()
  const { query } = await spaRequest()
  const response = await browser.authorize(query, { email, password: PASSWORD })
  expect(response.status).toBe(303)
  return { email, userId, browser }
}

/** The account page's CSRF token. */
async function accountCsrf(browser: Browser): Promise<string> {
  const page = await browser.fetch('/account')
  expect(page.status).toBe(200)
  // The page's forms carry the token of the __Host-csrf cookie (double submit).
  return hiddenFields(await page.text()).csrf ?? browser.cookies.get('__Host-csrf') ?? ''
}

/** The creation options the account page's script asks for. */
async function creationOptions(browser: Browser) {
  const response = await browser.postForm('/account/passkeys/options', {
    csrf: await accountCsrf(browser),
  })
  return { response, options: response.ok ? await response.json<CreationOptions>() : undefined }
}

interface CreationOptions {
  challenge: string
  rp: { id: string; name: string }
  user: { id: string; name: string }
  authenticatorSelection: { residentKey: string; userVerification: string }
  attestation: string
  excludeCredentials: { id: string }[]
}

/** Adds a passkey on the account page; answers where the page sent the browser. */
async function addPasskey(
  account: Account,
  authenticator: SoftwareAuthenticator,
  tamper: (options: CreationOptions) => Promise<unknown> | unknown = (options) =>
    authenticator.create(options, ISSUER),
): Promise<string | null> {
  const { options } = await creationOptions(account.browser)
  if (options === undefined) throw new Error('no options')
  const credential = await tamper(options)
  const response = await account.browser.postForm('/account/passkeys', {
    csrf: await accountCsrf(account.browser),
    credential: JSON.stringify(credential),
  })
  expect(response.status).toBe(303)
  return response.headers.get('Location')
}

/** Opens the demo SPA's sign-in page in a browser: its hidden fields and the request. */
async function signInPage(browser: Browser, overrides: Record<string, string> = {}) {
  const request = await spaRequest(overrides)
  const page = await browser.fetch(`/authorize?${new URLSearchParams(request.query)}`)
  expect(page.status).toBe(200)
  return { fields: hiddenFields(await page.text()), ...request }
}

/**
 * Signs in to the demo SPA with a passkey, the way the page's script does: request options, the
 * authenticator's answer (which `answer` may replace), the form. Answers the final response.
 */
async function passkeySignIn(
  authenticator: SoftwareAuthenticator,
  answer: (challenge: string) => Promise<unknown> = (challenge) =>
    authenticator.get(challenge, ISSUER, RP_ID),
  browser = new Browser(),
) {
  const { fields, verifier } = await signInPage(browser)
  const options = await browser.postForm('/signin/passkey', fields)
  expect(options.status).toBe(200)
  const { challenge, rpId, userVerification } = await options.json<{
    challenge: string
    rpId: string
    userVerification: string
  }>()
  expect({ rpId, userVerification }).toEqual({ rpId: RP_ID, userVerification: 'required' })
  const credential = await answer(challenge)
  const response = await browser.postForm('/signin', {
    ...fields,
    passkey: JSON.stringify(credential),
  })
  return { response, verifier, browser, credential }
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(400)
  expect(await response.text()).toContain('The passkey was not accepted.')
  expect(setCookies(response).some((c) => c.startsWith('__Host-session='))).toBe(false)
}

async function idTokenOf(response: Response, verifier: string) {
  const code = responseParams(response).get('code') ?? ''
  const tokens = await (await exchangeCode(code, verifier)).json<{ id_token: string }>()
  return decodeJwt(tokens.id_token)
}

async function auditActions(userId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT action FROM audit_events WHERE target_id = ?1 AND action LIKE 'passkey.%' ORDER BY id",
  )
    .bind(userId)
    .all<{ action: string }>()
  return results.map((row) => row.action)
}

describe('account page', () => {
  it('asks to sign in when the browser has no session', async () => {
    const response = await new Browser().fetch('/account')
    expect(response.status).toBe(401)
    expect(await response.text()).toContain('You are not signed in')
  })

  it('A12 A14 shows the signed-in user, cannot be framed and loads only same-origin resources', async () => {
    const { browser, email } = await signedInUser()
    const response = await browser.fetch('/account')
    const html = await response.text()
    expect(html).toContain(`Signed in as ${email}`)
    expect(html).toContain('You have no passkeys yet.')
    expect(html).toContain('<button type="submit">Add a passkey</button>')
    const csp = response.headers.get('Content-Security-Policy') ?? ''
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).not.toContain('unsafe-inline')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(html).not.toMatch(/(src|href)="https?:/)
  })
})

describe('passkey registration (WebAuthn §7.1)', () => {
  it('offers creation options for the issuer host, a random user handle, user verification required', async () => {
    const { browser, email } = await signedInUser()
    const { options } = await creationOptions(browser)
    expect(options?.rp.id).toBe(RP_ID)
    expect(options?.user.name).toBe(email)
    expect(options?.user.id).toMatch(/^[\w-]{43}$/)
    expect(atob(options?.user.id.replace(/-/g, '+').replace(/_/g, '/') ?? '')).not.toContain(email)
    expect(options?.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    })
    expect(options?.attestation).toBe('none')
  })

  it('A13 adds a passkey, lists it with its dates, and audits it', async () => {
    const account = await signedInUser()
    const location = await addPasskey(account, new SoftwareAuthenticator())
    expect(location).toBe('/account?status=added')
    const html = await (await account.browser.fetch('/account?status=added')).text()
    expect(html).toContain('The passkey was added.')
    expect(html).toMatch(/<h3>Passkey added \d{4}-\d{2}-\d{2}<\/h3>/)
    expect(html).toMatch(/Created \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC; last used never/)
    expect(await auditActions(account.userId)).toEqual(['passkey.created'])
  })

  it('keeps the same user handle for every passkey of a user, and excludes the ones it has', async () => {
    const account = await signedInUser()
    const first = new SoftwareAuthenticator()
    await addPasskey(account, first)
    const { options } = await creationOptions(account.browser)
    expect(options?.user.id).toBe(first.userHandle)
    expect(options?.excludeCredentials.map((c) => c.id)).toEqual([first.id])
  })

  it('refuses to add a passkey without a sign-in in the last five minutes, and re-authenticates', async () => {
    const account = await signedInUser()
    await env.DB.prepare('UPDATE sessions SET auth_time = auth_time - 301 WHERE user_id = ?1')
      .bind(account.userId)
      .run()
    const page = await (await account.browser.fetch('/account')).text()
    expect(page).not.toContain('Add a passkey</button>')
    expect(page).toContain('href="/account/sign-in"')
    const { response } = await creationOptions(account.browser)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: 'reauthentication_required' })
    // A credential made from options obtained earlier is refused as well.
    const finish = await account.browser.postForm('/account/passkeys', {
      csrf: await accountCsrf(account.browser),
      credential: '{}',
    })
    expect(finish.headers.get('Location')).toBe('/account?status=reauthenticate')

    const signIn = await account.browser.fetch('/account/sign-in')
    const fields = hiddenFields(await signIn.text())
    const back = await account.browser.postForm('/signin', {
      ...fields,
      email: account.email,
      password: PASSWORD,
    })
    expect(back.status).toBe(303)
    expect(back.headers.get('Location')).toBe('/account')
    expect(await addPasskey(account, new SoftwareAuthenticator())).toBe('/account?status=added')
  })

  it('M01 refuses a registration challenge used twice, issued to another user, or never issued', async () => {
    const account = await signedInUser()
    const other = await signedInUser()
    const authenticator = new SoftwareAuthenticator()
    let replayed: unknown
    await addPasskey(account, authenticator, async (options) => {
      replayed = await authenticator.create(options, ISSUER)
      return replayed
    })
    const again = await account.browser.postForm('/account/passkeys', {
      csrf: await accountCsrf(account.browser),
      credential: JSON.stringify(replayed),
    })
    expect(again.headers.get('Location')).toBe('/account?status=failed')

    const { options } = await creationOptions(account.browser)
    const stolen = await new SoftwareAuthenticator().create(options ?? expect.unreachable(), ISSUER)
    const elsewhere = await other.browser.postForm('/account/passkeys', {
      csrf: await accountCsrf(other.browser),
      credential: JSON.stringify(stolen),
    })
    expect(elsewhere.headers.get('Location')).toBe('/account?status=failed')

    const invented = new SoftwareAuthenticator()
    const location = await addPasskey(account, invented, (options) =>
      invented.create({ ...options, challenge: 'bm90LWlzc3VlZC1ieS10aGUtc2VydmVy' }, ISSUER),
    )
    expect(location).toBe('/account?status=failed')
    expect(await auditActions(other.userId)).toEqual([])
  })

  it('refuses a registration for another RP ID or origin, or without user verification', async () => {
    const account = await signedInUser()
    const cases: [
      SoftwareAuthenticator,
      (o: CreationOptions, a: SoftwareAuthenticator) => unknown,
    ][] = [
      [new SoftwareAuthenticator(), (o, a) => a.create(o, ISSUER, 'evil.example')],
      [new SoftwareAuthenticator(), (o, a) => a.create(o, 'http://localhost:5173')],
      [new SoftwareAuthenticator({ userVerified: false }), (o, a) => a.create(o, ISSUER)],
    ]
    for (const [authenticator, tamper] of cases) {
      const location = await addPasskey(account, authenticator, (o) => tamper(o, authenticator))
      expect(location).toBe('/account?status=failed')
    }
    expect(await auditActions(account.userId)).toEqual([])
  })

  it('N07 answers malformed credentials with the failure message, never a 5xx', async () => {
    const account = await signedInUser()
    for (const credential of [
      '',
      'not json',
      '[]',
      'null',
      '{"id":"x"}',
      '{"id":"AAAAAAAAAAAAAAAAAAAAAA","rawId":"AAAAAAAAAAAAAAAAAAAAAA","type":"public-key","response":{}}',
    ]) {
      await creationOptions(account.browser)
      const response = await account.browser.postForm('/account/passkeys', {
        csrf: await accountCsrf(account.browser),
        credential,
      })
      expect(response.headers.get('Location')).toBe('/account?status=failed')
    }
  })

  it('refuses the account forms from another site (CSRF) and without a session', async () => {
    const account = await signedInUser()
    const forged = await account.browser.fetch('/account/passkeys/options', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://evil.example',
      },
      body: `csrf=${await accountCsrf(account.browser)}`,
    })
    expect(forged.status).toBe(403)
    const stranger = new Browser()
    await stranger.fetch('/account')
    const signedOut = await stranger.postForm('/account/passkeys/options', { csrf: 'x'.repeat(43) })
    expect(signedOut.status).toBe(403)
  })
})

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
