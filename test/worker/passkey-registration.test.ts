// Passkey registration on the account page (issue 16, WebAuthn §7.1).
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { Browser, hiddenFields } from './helpers/browser'
import {
  accountCsrf,
  addPasskey,
  auditActions,
  type CreationOptions,
  creationOptions,
  PASSWORD,
  RP_ID,
  signedInUser,
} from './helpers/passkey-flows'
import { SoftwareAuthenticator } from './helpers/software-authenticator'
import { seedDemoTenant } from './helpers/tenant'
import { ISSUER } from './helpers/worker'

beforeAll(seedDemoTenant)

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

  it('adds a passkey with packed self attestation, and refuses certificate attestation cleanly', async () => {
    const account = await signedInUser()
    const self = new SoftwareAuthenticator({ attestation: 'packed-self' })
    expect(await addPasskey(account, self)).toBe('/account?status=added')
    for (const attestation of ['packed-x5c', 'tpm'] as const) {
      const location = await addPasskey(account, new SoftwareAuthenticator({ attestation }))
      expect(location).toBe('/account?status=failed')
    }
    expect(await auditActions(account.userId)).toEqual(['passkey.created'])
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
