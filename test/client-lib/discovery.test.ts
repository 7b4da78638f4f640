import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { discover, getJson, secureUrl } from '../../client-lib/src/discovery.js'
import { captureNavigation, createClient, disposeClients } from './helpers/browser.js'
import { createFakeProvider, type FakeProvider, ISSUER } from './helpers/fake-provider.js'

let provider: FakeProvider
beforeEach(async () => {
  provider = await createFakeProvider()
})
afterEach(disposeClients)

describe('discover()', () => {
  it('reads /.well-known/openid-configuration under the issuer (OIDC Discovery §4.1)', async () => {
    const as = await discover(ISSUER, provider.fetch)
    expect(as.token_endpoint).toBe(`${ISSUER}/token`)
    const [request] = provider.requests
    expect(request?.url.href).toBe(`${ISSUER}/.well-known/openid-configuration`)
    expect(request?.headers.get('accept')).toBe('application/json')
  })

  it('appends the well-known path after an issuer path, without a double slash (OIDC Discovery §4.1)', async () => {
    const seen: string[] = []
    const fetchSpy = (async (input: RequestInfo | URL) => {
      seen.push(String(input))
      return Response.json({ issuer: 'https://id.example/tenant-a/' })
    }) as typeof fetch
    await discover('https://id.example/tenant-a/', fetchSpy)
    expect(seen).toEqual(['https://id.example/tenant-a/.well-known/openid-configuration'])
  })

  it('rejects metadata whose issuer is not the configured one byte for byte (OIDC Discovery §4.3)', async () => {
    provider.metadata.issuer = `${ISSUER}/`
    await expect(discover(ISSUER, provider.fetch)).rejects.toMatchObject({
      code: 'invalid_response',
    })
  })

  it('refuses a plain-http issuer that is not a loopback host (RFC 6749 §3.1)', async () => {
    await expect(discover('http://auth.example.com', provider.fetch)).rejects.toMatchObject({
      code: 'invalid_response',
    })
    expect(provider.requests).toHaveLength(0)
  })

  it('maps a 5xx to a transient server_error and a 404 to invalid_response', async () => {
    const status = (code: number) =>
      (async () => new Response('no', { status: code })) as typeof fetch
    await expect(getJson(status(503), new URL(ISSUER))).rejects.toMatchObject({
      code: 'server_error',
    })
    await expect(getJson(status(404), new URL(ISSUER))).rejects.toMatchObject({
      code: 'invalid_response',
    })
  })
})

describe('secureUrl()', () => {
  it('refuses endpoints that are neither https nor loopback http (RFC 6749 §3.1, §3.2)', () => {
    expect(() => secureUrl('http://auth.example.com/token')).toThrow(/not https/)
    expect(() => secureUrl('javascript:alert(1)')).toThrow(/not https/)
    expect(secureUrl('https://auth.example.com/token').href).toBe('https://auth.example.com/token')
    expect(secureUrl('http://localhost:8787/token').href).toBe('http://localhost:8787/token')
  })
})

describe('discovery in the client', () => {
  it('is fetched once per client and shared by its operations', async () => {
    const client = createClient(provider)
    const navigate = captureNavigation()
    await client.signIn()
    await client.signIn()
    expect(navigate).toHaveBeenCalledTimes(2)
    expect(provider.requestsTo('/.well-known/openid-configuration')).toHaveLength(1)
  })

  it('is fetched again after a failure, never caching the error', async () => {
    const client = createClient(provider)
    captureNavigation()
    provider.offline = true
    await expect(client.signIn()).rejects.toMatchObject({ code: 'network' })
    provider.offline = false
    await expect(client.signIn()).resolves.toBeUndefined()
    expect(provider.requestsTo('/.well-known/openid-configuration')).toHaveLength(2)
  })

  it('refuses an authorization_endpoint that is not https (RFC 6749 §3.1)', async () => {
    provider.metadata.authorization_endpoint = 'http://evil.example/authorize'
    const navigate = captureNavigation()
    await expect(createClient(provider).signIn()).rejects.toMatchObject({
      code: 'invalid_response',
    })
    expect(navigate).not.toHaveBeenCalled()
  })
})
