import { describe, expect, it } from 'vitest'
import { MAX_DOCUMENT_BYTES } from '../../../worker/src/domain/metadata-document'
import { fetchMetadataDocument } from '../../../worker/src/outbound/fetch-metadata-document'
import { dnsOverHttps } from '../../../worker/src/outbound/resolve-host'
import { documentFor, fakeOutbound, jsonResponse } from '../helpers/metadata-documents'

const URL_ = 'https://agent.example/oauth/client.json'

describe('fetching a client ID metadata document safely (draft-ietf-oauth-client-id-metadata-document §6)', () => {
  it('fetches a JSON document once, without following redirects, and answers its Cache-Control', async () => {
    const outbound = fakeOutbound({
      [URL_]: (init) => {
        expect(init?.redirect).toBe('manual')
        return jsonResponse(documentFor(URL_), { 'Cache-Control': 'max-age=600' })
      },
    })
    const fetched = await fetchMetadataDocument(outbound, URL_, 'production')
    expect(fetched).toEqual({ ok: true, body: documentFor(URL_), cacheControl: 'max-age=600' })
    expect(outbound.resolved).toEqual(['agent.example'])
  })

  it('refuses a host that resolves to a private address, before any request to it', async () => {
    for (const address of ['10.0.0.7', '169.254.169.254', '::1', 'fd00::1', '100.64.0.1']) {
      const outbound = fakeOutbound(
        { [URL_]: () => jsonResponse(documentFor(URL_)) },
        { 'agent.example': ['93.184.215.14', address] },
      )
      const fetched = await fetchMetadataDocument(outbound, URL_, 'production')
      expect(fetched).toEqual({ ok: false, reason: 'host resolves to a non-public address' })
      expect(outbound.fetched).toEqual([])
    }
  })

  it('refuses a document larger than the limit, declared or streamed', async () => {
    const big = documentFor(URL_, { client_name: 'x'.repeat(MAX_DOCUMENT_BYTES) })
    const declared = fakeOutbound({ [URL_]: () => jsonResponse(big) })
    expect(await fetchMetadataDocument(declared, URL_, 'production')).toEqual({
      ok: false,
      reason: `larger than ${MAX_DOCUMENT_BYTES} bytes`,
    })
    const streamed = fakeOutbound({
      [URL_]: () => {
        const bytes = new TextEncoder().encode(JSON.stringify(big))
        const body = new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 1000)
              controller.enqueue(bytes.slice(i, i + 1000))
            controller.close()
          },
        })
        return new Response(body, { headers: { 'Content-Type': 'application/json' } })
      },
    })
    expect(await fetchMetadataDocument(streamed, URL_, 'production')).toEqual({
      ok: false,
      reason: `larger than ${MAX_DOCUMENT_BYTES} bytes`,
    })
  })

  it('gives up on a host that does not answer within the time limit', async () => {
    const outbound = {
      ...fakeOutbound({}),
      timeoutMs: 50,
      fetch: (_input: RequestInfo | URL, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))
        }),
    }
    expect(await fetchMetadataDocument(outbound, URL_, 'production')).toEqual({
      ok: false,
      reason: 'timed out',
    })
  })

  it('refuses a redirect and never fetches its target', async () => {
    const outbound = fakeOutbound({
      [URL_]: () =>
        new Response(null, { status: 302, headers: { Location: 'https://other.example/c' } }),
      'https://other.example/c': () => jsonResponse(documentFor(URL_)),
    })
    expect(await fetchMetadataDocument(outbound, URL_, 'production')).toEqual({
      ok: false,
      reason: 'redirects are not followed',
    })
    expect(outbound.fetched).toEqual([URL_])
  })

  it('refuses http in production, and loopback http only outside it, without resolving', async () => {
    const local = 'http://localhost:8788/client.json'
    const outbound = fakeOutbound({ [local]: () => jsonResponse(documentFor(local)) })
    expect(await fetchMetadataDocument(outbound, local, 'production')).toEqual({
      ok: false,
      reason: 'URL must use https',
    })
    expect(outbound.fetched).toEqual([])
    expect((await fetchMetadataDocument(outbound, local, 'development')).ok).toBe(true)
    expect(outbound.resolved).toEqual([])
    const remote = 'http://agent.example/client.json'
    expect((await fetchMetadataDocument(outbound, remote, 'development')).ok).toBe(false)
  })

  it('refuses URLs the draft forbids: no path, a fragment, credentials, dot segments, IP literals', async () => {
    const outbound = fakeOutbound({})
    for (const url of [
      'https://agent.example/',
      'https://agent.example/c.json#x',
      'https://user:pw@agent.example/c.json',
      'https://agent.example/a/../c.json',
      'https://93.184.215.14/c.json',
      'https://[2606:4700::1]/c.json',
    ]) {
      expect((await fetchMetadataDocument(outbound, url, 'production')).ok).toBe(false)
    }
    expect(outbound.fetched).toEqual([])
    expect(outbound.resolved).toEqual([])
  })

  it('refuses a response that is not a JSON 200', async () => {
    const outbound = fakeOutbound({
      [URL_]: () => new Response('<html>', { headers: { 'Content-Type': 'text/html' } }),
      'https://agent.example/missing.json': () => new Response('no', { status: 404 }),
    })
    expect(await fetchMetadataDocument(outbound, URL_, 'production')).toEqual({
      ok: false,
      reason: 'not application/json',
    })
    const missing = await fetchMetadataDocument(
      outbound,
      'https://agent.example/missing.json',
      'production',
    )
    expect(missing).toEqual({ ok: false, reason: 'status 404' })
  })

  it('resolves A and AAAA records through DNS-over-HTTPS (JSON)', async () => {
    const asked: string[] = []
    const resolve = dnsOverHttps('https://doh.test/dns-query', async (input) => {
      const url = new URL(String(input))
      asked.push(`${url.searchParams.get('name')} ${url.searchParams.get('type')}`)
      const answer =
        url.searchParams.get('type') === 'A'
          ? [
              { type: 5, data: 'cdn.example.' },
              { type: 1, data: '93.184.215.14' },
            ]
          : [{ type: 28, data: '2606:2800:21f:cb07:6820:80da:af6b:8b2c' }]
      return jsonResponse({ Status: 0, Answer: answer })
    })
    expect(await resolve('agent.example')).toEqual([
      '93.184.215.14',
      '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    ])
    expect(asked.sort()).toEqual(['agent.example A', 'agent.example AAAA'])
  })
})
