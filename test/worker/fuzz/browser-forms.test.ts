import fc from 'fast-check'
import { beforeAll, describe, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, hiddenFields, pkce, setCookies } from '../helpers/browser'
import { HYBRID_REDIRECT } from '../helpers/hybrid'
import { api } from '../helpers/tenant'
import { ISSUER } from '../helpers/worker'
import {
  type BodyShape,
  bodyFor,
  clientIp,
  encodeParams,
  hostileString,
  malformedBody,
  method,
  paramList,
  paramValue,
} from './arbitraries'
import { type Fixtures, fixtures, HYBRID_LOGOUT } from './fixtures'
import { checkProperty, exercise, FUZZ_TIMEOUT, send } from './harness'
import { expectBrowserAnswer } from './invariants'
import { RowCountTracker } from './row-counts'

let f: Fixtures

/** An assertion in the JSON form browsers send, for a challenge this server never issued. */
const FAKE_ASSERTION = JSON.stringify({
  id: 'AAAAAAAAAAAAAAAAAAAAAA',
  rawId: 'AAAAAAAAAAAAAAAAAAAAAA',
  type: 'public-key',
  clientExtensionResults: {},
  response: {
    clientDataJSON: btoa(
      JSON.stringify({ type: 'webauthn.get', challenge: 'bm90LWlzc3VlZA', origin: ISSUER }),
    )
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, ''),
    authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4_krrmihjLHmVzzuoMdl2MFAAAAAQ',
    signature: 'MEUCIQ',
    userHandle: 'AAAA',
  },
})
const rows = new RowCountTracker()

/** A sign-in form as the server rendered it: its hidden fields and the CSRF cookie. */
interface OpenForm {
  clientId: string
  interaction: string
  csrf: string
  cookie: string
}
const forms: OpenForm[] = []
/** Live invitation-link tokens of users created for the account pages. */
const invitations: string[] = []

beforeAll(async () => {
  f = await fixtures()
  for (const [clientId, redirectUri] of [
    [f.spa.id, f.spa.redirectUris[0] ?? ''],
    [f.hybrid.id, HYBRID_REDIRECT],
  ] as const) {
    const { challenge } = await pkce()
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    const page = await send(`/authorize?${query}`)
    const fields = hiddenFields(await page.text())
    const cookie = /^(__Host-csrf=[^;]+)/.exec(setCookies(page).join('\n'))?.[1] ?? ''
    forms.push({
      clientId,
      interaction: fields.interaction ?? '',
      csrf: fields.csrf ?? '',
      cookie,
    })
  }
  for (let i = 0; i < 3; i++) {
    const created = (await (
      await api(f.admin, 'POST', '/users', { email: `fuzz-invitee-${i}@example.com` })
    ).json()) as { invitationUrl: string }
    invitations.push(new URL(created.invitationUrl).searchParams.get('token') ?? '')
  }
}, 60_000)

/** Headers a browser, or someone playing one, sends with a form: Origin, Fetch Metadata, cookies. */
const browserHeaders = fc.record({
  origin: fc.oneof(
    { weight: 4, arbitrary: fc.constant(ISSUER) },
    { weight: 1, arbitrary: fc.constantFrom('null', 'https://evil.example', '') },
  ),
  site: fc.oneof(
    { weight: 4, arbitrary: fc.constant('same-origin') },
    { weight: 1, arbitrary: fc.constantFrom('cross-site', '') },
  ),
  cookie: fc.oneof(
    { weight: 4, arbitrary: fc.constant('form') },
    { weight: 1, arbitrary: fc.constantFrom('session', 'none', 'garbage') },
  ),
  ip: clientIp,
})

function headersFor(
  h: { origin: string; site: string; cookie: string; ip: string },
  form: OpenForm | undefined,
  body: BodyShape | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { 'CF-Connecting-IP': h.ip }
  if (h.origin !== '') headers.Origin = h.origin
  if (h.site !== '') headers['Sec-Fetch-Site'] = h.site
  if (h.cookie === 'form' && form !== undefined) headers.Cookie = form.cookie
  if (h.cookie === 'session') headers.Cookie = [form?.cookie, f.sessionCookie].join('; ')
  if (h.cookie === 'garbage') headers.Cookie = '__Host-csrf=x; __Host-session="; ;;'
  if (body?.contentType !== undefined) headers['Content-Type'] = body.contentType
  return headers
}

describe('fuzz: browser forms (sign-in, account, sign-out)', () => {
  it('A15 N07 the sign-in form, with a password or a passkey, answers a page or a 303 to the pending request’s registered URI, never 5xx, never a reflected script, and writes nothing when it refuses', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc
      .record({
        method: method(['POST']),
        form: fc.nat({ max: forms.length - 1 }),
        fields: paramList({
          interaction: paramValue(...forms.map((form) => form.interaction)),
          csrf: paramValue(...forms.map((form) => form.csrf)),
          email: paramValue(ADMIN_EMAIL, 'nobody@example.com', ` ${ADMIN_EMAIL.toUpperCase()} `),
          // The right password is rare: it costs a PBKDF2 and starts a session.
          password: fc.oneof(
            { weight: 1, arbitrary: fc.constant(ADMIN_PASSWORD) },
            { weight: 8, arbitrary: paramValue('wrong password') },
          ),
          // A passkey's answer instead of the password: well-formed but for a challenge never
          // issued, malformed JSON, or the wrong shape (issue 16).
          passkey: paramValue(FAKE_ASSERTION, '{}', '{"id":1,"response":[]}', 'null'),
        }),
        raw: fc.boolean(),
        headers: browserHeaders,
      })
      .chain((r) => bodyFor(encodeParams(r.fields, r.raw)).map((body) => ({ ...r, body })))
    await checkProperty('sign-in', arbitrary, async (r) => {
      const form = forms[r.form]
      const sendsBody = r.method !== 'GET' && r.method !== 'HEAD'
      const result = await exercise(rows, '/signin', {
        method: r.method,
        headers: headersFor(r.headers, form, sendsBody ? r.body : undefined),
        ...(sendsBody && r.body.body !== undefined && { body: r.body.body }),
      })
      // The pending request the form carries names its client; only its URIs are verified.
      const interactions = r.fields.filter(([name]) => name === 'interaction').map(([, v]) => v)
      const allowed = forms
        .filter((open) => interactions.includes(open.interaction))
        .flatMap((open) => f.registered.get(open.clientId) ?? [])
      if (r.method === 'POST') expectBrowserAnswer(result, allowed)
    })
  })

  it('A15 the set-password pages answer a page or a 303 to this server, never 5xx, never a reflected script, and write nothing when they refuse', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc
      .record({
        method: method(['GET', 'POST']),
        path: fc.constantFrom('/account/set-password', '/account/password-set'),
        token: fc.oneof(
          fc.constantFrom(...invitations),
          fc.constant('A'.repeat(43)),
          hostileString,
        ),
        fields: paramList({
          csrf: paramValue('placeholder-csrf'),
          password: paramValue('a long enough passphrase 42'),
          confirm: paramValue('a long enough passphrase 42', 'different passphrase 42'),
        }),
        headers: browserHeaders,
        multipart: fc.boolean(),
        malformed: fc.option(malformedBody, { freq: 5 }),
      })
      .filter((r) => r.path === '/account/set-password' || r.method !== 'POST')
    // A form opened once: its CSRF cookie and field (the pages reuse a browser's token).
    const page = await send(`/account/set-password?token=${invitations[0]}`)
    const csrf = hiddenFields(await page.text()).csrf ?? ''
    const cookie = /^(__Host-csrf=[^;]+)/.exec(setCookies(page).join('\n'))?.[1] ?? ''
    const open: OpenForm = { clientId: '', interaction: '', csrf, cookie }
    await checkProperty('account', arbitrary, async (r) => {
      const fields = [['token', r.token], ...r.fields].map(([name, value]): [string, string] => [
        name ?? '',
        value === 'placeholder-csrf' ? csrf : (value ?? ''),
      ])
      const body: BodyShape =
        r.malformed ??
        (r.multipart
          ? multipart(fields)
          : { contentType: 'application/x-www-form-urlencoded', body: encodeParams(fields, false) })
      const get = r.method === 'GET' || r.method === 'HEAD'
      const result = await exercise(
        rows,
        get ? `${r.path}?${new URLSearchParams({ token: r.token })}` : r.path,
        {
          method: r.method,
          headers: headersFor(r.headers, open, get ? undefined : body),
          ...(!get && body.body !== undefined && { body: body.body }),
        },
      )
      if (r.method === 'GET' || r.method === 'POST') expectBrowserAnswer(result, [])
    })
  })

  it('A15 RP-initiated logout answers a page or a 303 to a registered post-logout URI, never 5xx, never a reflected script, and writes nothing when it refuses (OIDC RP-Initiated Logout §2, §3)', {
    timeout: FUZZ_TIMEOUT,
  }, async () => {
    const arbitrary = fc
      .record({
        method: method(['GET', 'POST']),
        params: paramList({
          id_token_hint: paramValue(f.tokens.idToken, f.tokens.userAccess),
          client_id: paramValue(f.spa.id, f.hybrid.id, crypto.randomUUID()),
          post_logout_redirect_uri: paramValue(
            ...f.spa.postLogoutRedirectUris,
            HYBRID_LOGOUT,
            'https://evil.example/',
            `${HYBRID_LOGOUT}/`,
          ),
          state: paramValue('state-1'),
          csrf: paramValue('placeholder-csrf'),
        }),
        raw: fc.boolean(),
        headers: browserHeaders,
      })
      .chain((r) => bodyFor(encodeParams(r.params, r.raw)).map((body) => ({ ...r, body })))
    const form = forms[0]
    await checkProperty('end-session', arbitrary, async (r) => {
      const params = r.params.map(([name, value]): [string, string] => [
        name,
        value === 'placeholder-csrf' ? (form?.csrf ?? '') : value,
      ])
      const encoded = encodeParams(params, r.raw)
      const get = r.method === 'GET' || r.method === 'HEAD'
      const body =
        r.body.body === encodeParams(r.params, r.raw) ? { ...r.body, body: encoded } : r.body
      const result = await exercise(rows, get ? `/end_session?${encoded}` : '/end_session', {
        method: r.method,
        headers: headersFor(r.headers, form, get ? undefined : body),
        ...(!get && body.body !== undefined && { body: body.body }),
      })
      // The clients the request names: client_id, and the audience of an ID token hint.
      const named = params
        .filter(([name]) => name === 'client_id')
        .map(([, value]) => value)
        .concat(params.some(([, value]) => value === f.tokens.idToken) ? [f.spa.id] : [])
      const allowed = named.flatMap((id) => f.registered.get(id) ?? [])
      if (r.method === 'GET' || r.method === 'POST') expectBrowserAnswer(result, allowed)
    })
  })
})

/** A multipart/form-data body of the fields (the set-password route parses either kind). */
function multipart(fields: [string, string][]): BodyShape {
  const boundary = 'fuzz-boundary'
  const parts = fields.map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  )
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: `${parts.join('')}--${boundary}--\r\n`,
  }
}
