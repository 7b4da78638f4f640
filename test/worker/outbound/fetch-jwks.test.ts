import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  CLIENT_JWKS_REFETCH_SECONDS,
  clientJwksCacheKey,
  fetchClientJwks,
  JwksUnavailable,
  MAX_JWKS_BYTES,
} from '../../../worker/src/outbound/fetch-jwks'

const JWKS = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] }

/** A fetch that answers `response` and records what it was asked. */
function fakeFetch(response: () => Response) {
  const calls: { url: string; init: RequestInit | undefined }[] = []
  const fetcher = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init })
    return response()
  }) as unknown as typeof fetch
  return { calls, fetcher }
}

const uri = () => `https://client.example/${crypto.randomUUID()}/jwks.json`
/** A resolver that answers `addresses` for every host and records the hosts it was asked. */
function fakeResolve(addresses: string[]) {
  const asked: string[] = []
  const resolve = async (host: string) => {
    asked.push(host)
    return addresses
  }
  return { asked, resolve }
}

const options = (fetcher: typeof fetch) => ({
  cache: env.CACHE,
  allowLoopbackHttp: false,
  fetcher,
  resolve: fakeResolve(['93.184.215.14']).resolve,
})

describe('fetchClientJwks: a client’s jwks_uri (RFC 7591 §2, RFC 7523 §3)', () => {
  it('fetches the set without following redirects, with a timeout, and caches it in KV', async () => {
    const { calls, fetcher } = fakeFetch(() => Response.json(JWKS))
    const at = uri()
    expect(await fetchClientJwks(at, options(fetcher))).toEqual(JWKS)
    expect(calls[0]?.init?.redirect).toBe('manual')
    expect(calls[0]?.init?.signal).toBeInstanceOf(AbortSignal)
    expect(await env.CACHE.get(await clientJwksCacheKey(at), 'json')).toEqual(JWKS)
    // The second read comes from KV; `fresh` goes to the network again (once the refetch
    // bound has passed, see below).
    await fetchClientJwks(at, options(fetcher))
    expect(calls).toHaveLength(1)
    const later = Math.floor(Date.now() / 1000) + CLIENT_JWKS_REFETCH_SECONDS
    await fetchClientJwks(at, { ...options(fetcher), fresh: true, now: later })
    expect(calls).toHaveLength(2)
  })

  it('goes to the network for a fresh set at most once a minute per jwks_uri (no fetch storm)', async () => {
    const { calls, fetcher } = fakeFetch(() => Response.json(JWKS))
    const at = uri()
    const now = 1_800_000_000
    await fetchClientJwks(at, { ...options(fetcher), now })
    // Every assertion with an unknown kid asks for a fresh set: within the minute, KV answers.
    for (let second = 1; second <= 5; second++) {
      expect(
        await fetchClientJwks(at, { ...options(fetcher), fresh: true, now: now + second }),
      ).toEqual(JWKS)
    }
    expect(calls).toHaveLength(1)
    await fetchClientJwks(at, {
      ...options(fetcher),
      fresh: true,
      now: now + CLIENT_JWKS_REFETCH_SECONDS,
    })
    expect(calls).toHaveLength(2)
  })

  it.each([
    ['a redirect', () => new Response(null, { status: 302, headers: { Location: 'https://x' } })],
    ['an error status', () => new Response('no', { status: 500 })],
    ['a body that is not JSON', () => new Response('<html>')],
    ['JSON that is not a JWK set', () => Response.json({ keys: 'none' })],
    [
      'a declared size over the limit',
      () => new Response('{}', { headers: { 'Content-Length': String(MAX_JWKS_BYTES + 1) } }),
    ],
    [
      'a body over the limit',
      () => new Response(`{"keys":[],"pad":"${'a'.repeat(MAX_JWKS_BYTES)}"}`),
    ],
  ])('refuses %s', async (_, response) => {
    const { fetcher } = fakeFetch(response)
    await expect(fetchClientJwks(uri(), options(fetcher))).rejects.toBeInstanceOf(JwksUnavailable)
  })

  it('refuses http, except on loopback hosts outside production', async () => {
    const { calls, fetcher } = fakeFetch(() => Response.json(JWKS))
    await expect(
      fetchClientJwks('http://client.example/jwks.json', options(fetcher)),
    ).rejects.toBeInstanceOf(JwksUnavailable)
    await expect(
      fetchClientJwks('http://127.0.0.1:9/jwks.json', options(fetcher)),
    ).rejects.toBeInstanceOf(JwksUnavailable)
    expect(calls).toHaveLength(0)
    const loopback = `http://127.0.0.1:9/${crypto.randomUUID()}`
    const allowed = { ...options(fetcher), allowLoopbackHttp: true }
    expect(await fetchClientJwks(loopback, allowed)).toEqual(JWKS)
  })

  it('refuses when the fetch itself fails', async () => {
    const fetcher = (async () => {
      throw new TypeError('network')
    }) as unknown as typeof fetch
    await expect(fetchClientJwks(uri(), options(fetcher))).rejects.toBeInstanceOf(JwksUnavailable)
  })

  it('refuses a jwks_uri whose host resolves to any non-public address, before fetching it', async () => {
    for (const address of ['10.0.0.7', '169.254.169.254', '::ffff:127.0.0.1', 'fd00::1']) {
      const { calls, fetcher } = fakeFetch(() => Response.json(JWKS))
      const { asked, resolve } = fakeResolve(['93.184.215.14', address])
      await expect(
        fetchClientJwks(uri(), { ...options(fetcher), resolve, fresh: true }),
      ).rejects.toBeInstanceOf(JwksUnavailable)
      expect(asked).toEqual(['client.example'])
      expect(calls).toHaveLength(0)
    }
  })

  it.each([
    'https://169.254.169.254/latest/meta-data/jwks.json',
    'https://0xa9fea9fe/jwks.json',
    'https://2852039166/jwks.json',
    'https://[::ffff:a9fe:a9fe]/jwks.json',
    'https://[64:ff9b::a9fe:a9fe]/jwks.json',
    'https://127.0.0.1/jwks.json',
  ])('refuses a jwks_uri on the non-public IP literal %s without resolving it', async (at) => {
    const { calls, fetcher } = fakeFetch(() => Response.json(JWKS))
    const { asked, resolve } = fakeResolve(['93.184.215.14'])
    await expect(
      fetchClientJwks(at, { ...options(fetcher), resolve, fresh: true }),
    ).rejects.toBeInstanceOf(JwksUnavailable)
    expect(asked).toEqual([])
    expect(calls).toHaveLength(0)
  })
})
