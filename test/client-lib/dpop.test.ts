import { createHash } from 'node:crypto'
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  type JWK,
  jwtVerify,
} from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Dpop, type DpopKeyStore, dpop, memoryKeyStore } from '../../client-lib/src/dpop.js'
import { signInWithPopup } from '../../client-lib/src/popup.js'
import {
  createClient,
  disposeClients,
  driveFrames,
  installBroadcastChannel,
  markSession,
  signIn,
} from './helpers/browser.js'
import { APP_ORIGIN, createFakeProvider, type FakeProvider } from './helpers/fake-provider.js'

// DPoP in the browser (RFC 9449, issue 15): @edge-identity/client-lib/dpop as the client's
// tokenBinding. The fake provider records every request; its token endpoint is wrapped here to
// answer `token_type: DPoP` (and nonce challenges) the way edge-identity does.

let provider: FakeProvider
let store: DpopKeyStore
let binding: Dpop
beforeEach(async () => {
  provider = await createFakeProvider()
  store = memoryKeyStore()
  binding = dpop({ store })
})
afterEach(disposeClients)

/** The token endpoint answers DPoP-bound tokens; `nonces` lists the nonce each request must carry
 * (answered with use_dpop_nonce and the next nonce when it does not). */
function answerDpop(options: { nonce?: string } = {}) {
  const answer = async (
    body: URLSearchParams,
    issued: Parameters<typeof provider.codes.set>[1] | undefined,
  ) => {
    const proof = provider.requests.at(-1)?.headers.get('dpop') ?? ''
    const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' })
    if (options.nonce !== undefined && payload.nonce !== options.nonce) {
      // The code is not consumed by a nonce challenge (RFC 9449 §8).
      if (issued) provider.codes.set(body.get('code') ?? '', issued)
      return new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
        status: 400,
        headers: { 'content-type': 'application/json', 'dpop-nonce': options.nonce },
      })
    }
    provider.tokenAnswer = undefined
    if (issued) provider.codes.set(body.get('code') ?? '', issued)
    const response = await provider.token(body)
    provider.tokenAnswer = answer
    return new Response(JSON.stringify({ ...(await response.json()), token_type: 'DPoP' }), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    })
  }
  provider.tokenAnswer = answer
}

/** A proof as the server checks it: signature by its embedded public key, typ dpop+jwt. */
async function readProof(proof: string | null | undefined) {
  expect(proof).toBeTypeOf('string')
  const { payload, protectedHeader } = await jwtVerify(proof as string, EmbeddedJWK, {
    typ: 'dpop+jwt',
    algorithms: ['ES256'],
  })
  return {
    payload,
    header: protectedHeader,
    jkt: await calculateJwkThumbprint(protectedHeader.jwk as JWK),
  }
}

const tokenRequests = () => provider.requestsTo('/token')
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')

describe('DPoP on token requests (RFC 9449 §4, §5, §10)', () => {
  it('sends dpop_jkt on the authorization request and a proof of that key on the code exchange', async () => {
    answerDpop()
    const client = createClient(provider, { tokenBinding: binding })
    await signIn(client, provider)
    const jkt = provider.authorizations.at(-1)?.searchParams.get('dpop_jkt')
    expect(jkt).toBe(await binding.thumbprint())
    const request = tokenRequests().at(-1)
    const { payload, header, jkt: proved } = await readProof(request?.headers.get('dpop'))
    expect(proved).toBe(jkt)
    expect(header.alg).toBe('ES256')
    expect(Object.keys(header.jwk as object).sort()).toEqual(['crv', 'kty', 'x', 'y'])
    expect(payload).toMatchObject({ htm: 'POST', htu: `${provider.issuer}/token` })
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5)
    expect(payload.ath).toBeUndefined()
    expect(payload.nonce).toBeUndefined()
    expect(client.getTokens()?.tokenType).toBe('DPoP')
  })

  it('proves the same key on silent renewal, with a fresh jti each time (§4.2, §11.1)', async () => {
    answerDpop()
    const client = createClient(provider, { tokenBinding: binding })
    await signIn(client, provider)
    driveFrames(provider)
    await client.renew()
    const [first, second] = await Promise.all(
      tokenRequests().map((request) => readProof(request.headers.get('dpop'))),
    )
    expect(tokenRequests()).toHaveLength(2)
    expect(provider.authorizations.at(-1)?.searchParams.get('prompt')).toBe('none')
    expect(provider.authorizations.at(-1)?.searchParams.get('dpop_jkt')).toBe(first?.jkt)
    expect(second?.jkt).toBe(first?.jkt)
    expect(second?.payload.jti).not.toBe(first?.payload.jti)
  })

  it('proves the key on a popup sign-in', async () => {
    answerDpop()
    const client = createClient(provider, { tokenBinding: binding })
    const popup = {
      closed: false,
      close: vi.fn(),
      location: {
        set href(url: string) {
          const data = provider.authorize(url)
          setTimeout(() =>
            window.dispatchEvent(
              new MessageEvent('message', { data, origin: APP_ORIGIN, source: popup as never }),
            ),
          )
        },
      },
    }
    await signInWithPopup(client, { popup: popup as unknown as Window })
    expect(provider.authorizations.at(-1)?.searchParams.get('dpop_jkt')).toBe(
      await binding.thumbprint(),
    )
    const { jkt } = await readProof(tokenRequests().at(-1)?.headers.get('dpop'))
    expect(jkt).toBe(await binding.thumbprint())
  })

  it('retries once with the server nonce after use_dpop_nonce, and sends it again later (§8)', async () => {
    answerDpop({ nonce: 'n-1' })
    const client = createClient(provider, { tokenBinding: binding })
    await signIn(client, provider)
    expect(client.getTokens()?.tokenType).toBe('DPoP')
    const proofs = await Promise.all(
      tokenRequests().map((request) => readProof(request.headers.get('dpop'))),
    )
    expect(proofs.map(({ payload }) => payload.nonce)).toEqual([undefined, 'n-1'])
    driveFrames(provider)
    await client.renew()
    const renewal = await readProof(tokenRequests().at(-1)?.headers.get('dpop'))
    expect(tokenRequests()).toHaveLength(3)
    expect(renewal.payload.nonce).toBe('n-1')
  })

  it('does not retry a second use_dpop_nonce: the error reaches the app', async () => {
    let nonce = 0
    provider.tokenAnswer = () =>
      new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
        status: 400,
        headers: { 'content-type': 'application/json', 'dpop-nonce': `n-${++nonce}` },
      })
    const client = createClient(provider, { tokenBinding: binding })
    await expect(signIn(client, provider)).rejects.toMatchObject({
      code: 'oauth_error',
      error: 'use_dpop_nonce',
    })
    expect(tokenRequests()).toHaveLength(2)
  })

  it('sends no proof and no dpop_jkt without a token binding', async () => {
    const client = createClient(provider)
    await signIn(client, provider)
    expect(provider.authorizations.at(-1)?.searchParams.has('dpop_jkt')).toBe(false)
    expect(tokenRequests().at(-1)?.headers.has('dpop')).toBe(false)
    expect(client.getTokens()?.tokenType).toBe('Bearer')
  })
})

describe('DPoP on auth.fetch (RFC 9449 §7)', () => {
  it('sends a bound token as DPoP with a proof carrying ath, htu without query and fragment', async () => {
    answerDpop()
    const client = createClient(provider, {
      tokenBinding: binding,
      fetchOrigins: ['https://api.example'],
    })
    await signIn(client, provider)
    await client.fetch('https://api.example/orders?page=2#top', { method: 'put', body: '{}' })
    const request = provider.requests.at(-1)
    const token = client.getTokens()?.accessToken ?? ''
    expect(request?.headers.get('authorization')).toBe(`DPoP ${token}`)
    const { payload, jkt } = await readProof(request?.headers.get('dpop'))
    expect(payload).toMatchObject({
      htm: 'PUT',
      htu: 'https://api.example/orders',
      ath: sha256(token),
    })
    expect(jkt).toBe(await binding.thumbprint())
  })

  it('sends neither token nor proof to an origin outside fetchOrigins', async () => {
    answerDpop()
    const client = createClient(provider, { tokenBinding: binding })
    await signIn(client, provider)
    await client.fetch('https://api.example/orders')
    const request = provider.requests.at(-1)
    expect(request?.url.origin).toBe('https://api.example')
    expect(request?.headers.has('authorization')).toBe(false)
    expect(request?.headers.has('dpop')).toBe(false)
  })

  it('keeps Bearer when the server answered an unbound token (§5)', async () => {
    const client = createClient(provider, {
      tokenBinding: binding,
      fetchOrigins: ['https://api.example'],
    })
    await signIn(client, provider)
    await client.fetch('https://api.example/orders')
    const request = provider.requests.at(-1)
    expect(request?.headers.get('authorization')).toMatch(/^Bearer /)
    expect(request?.headers.has('dpop')).toBe(false)
  })

  it('retries a 401 with a new DPoP-Nonce once, with that nonce, and keeps it per origin (§9)', async () => {
    answerDpop()
    const seen: (string | undefined)[] = []
    let answered = 0
    const client = createClient(provider, {
      tokenBinding: binding,
      fetchOrigins: ['https://api.example', 'https://other.example'],
      fetch: async (input, init) => {
        const request = new Request(input, init)
        if (new URL(request.url).hostname.endsWith('.example')) {
          const { payload } = await readProof(request.headers.get('dpop'))
          seen.push(payload.nonce as string | undefined)
          await request.text() // the body arrives on every attempt
          answered++
          return payload.nonce === 'r-1' || request.url.startsWith('https://other.example')
            ? new Response('{}', { status: 200 })
            : new Response(null, {
                status: 401,
                headers: {
                  'www-authenticate': 'DPoP error="use_dpop_nonce"',
                  'dpop-nonce': 'r-1',
                },
              })
        }
        return provider.fetch(input, init)
      },
    })
    await signIn(client, provider)
    const response = await client.fetch(
      new Request('https://api.example/orders', { method: 'POST', body: 'x' }),
    )
    expect(response.status).toBe(200)
    await client.fetch('https://api.example/orders')
    await client.fetch('https://other.example/orders')
    expect(seen).toEqual([undefined, 'r-1', 'r-1', undefined])
    expect(answered).toBe(4)
  })

  it('does not retry a 401 without a new nonce', async () => {
    answerDpop()
    let calls = 0
    const client = createClient(provider, {
      tokenBinding: binding,
      fetchOrigins: ['https://api.example'],
      fetch: async (input, init) => {
        if (`${(input as Request).url ?? input}`.startsWith('https://api.example')) {
          calls++
          return new Response(null, {
            status: 401,
            headers: { 'www-authenticate': 'DPoP error="invalid_token"' },
          })
        }
        return provider.fetch(input, init)
      },
    })
    await signIn(client, provider)
    expect((await client.fetch('https://api.example/orders')).status).toBe(401)
    expect(calls).toBe(1)
  })
})

describe('the DPoP key', () => {
  it('is ES256 with a private key script cannot export', async () => {
    await binding.thumbprint()
    const keys = (await store.get()) as CryptoKeyPair
    expect(keys.privateKey.extractable).toBe(false)
    expect(keys.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' })
    await expect(crypto.subtle.exportKey('jwk', keys.privateKey)).rejects.toThrow()
  })

  it('comes from the store: a new page (a new binding over the same store) uses the same key', async () => {
    const before = await binding.thumbprint()
    expect(await dpop({ store }).thumbprint()).toBe(before)
  })

  it('is the first one stored when two tabs make one at once', async () => {
    const [a, b] = await Promise.all([dpop({ store }).thumbprint(), dpop({ store }).thumbprint()])
    expect(a).toBe(b)
  })

  it('is replaced after sign-out: the next sign-in binds a new key, in every tab', async () => {
    installBroadcastChannel()
    answerDpop()
    const client = createClient(provider, { tokenBinding: binding })
    const otherBinding = dpop({ store })
    const otherTab = createClient(provider, { tokenBinding: otherBinding })
    await signIn(client, provider)
    const before = await binding.thumbprint()
    expect(await otherBinding.thumbprint()).toBe(before)
    vi.spyOn(location, 'assign').mockImplementation(() => {})
    await client.signOut()
    await vi.waitFor(() => expect(otherTab.user).toBeUndefined())
    markSession(provider)
    await signIn(client, provider)
    const after = await binding.thumbprint()
    expect(after).not.toBe(before)
    expect(provider.authorizations.at(-1)?.searchParams.get('dpop_jkt')).toBe(after)
    expect((await readProof(tokenRequests().at(-1)?.headers.get('dpop'))).jkt).toBe(after)
    expect(await otherBinding.thumbprint()).toBe(after)
    expect(decodeProtectedHeader(tokenRequests().at(-1)?.headers.get('dpop') ?? '').typ).toBe(
      'dpop+jwt',
    )
  })
})
