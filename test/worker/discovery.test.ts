import { processDiscoveryResponse } from 'oauth4webapi'
import { describe, expect, it } from 'vitest'
import { buildServerMetadata } from '../../worker/src/domain/server-metadata'
import { fetchWorker, ISSUER } from './helpers/worker'

describe('discovery (OIDC Discovery §4, RFC 8414 §3)', () => {
  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'])(
    'I01 %s names the issuer it is served from, byte for byte',
    async (path) => {
      const response = await fetchWorker(path)
      expect(response.status).toBe(200)
      expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
      const metadata = (await response.json()) as Record<string, unknown>
      expect(metadata.issuer).toBe(ISSUER)
      for (const [name, value] of Object.entries(metadata)) {
        if (name.endsWith('_endpoint') || name.endsWith('_uri')) {
          expect(String(value).startsWith(`${ISSUER}/`), name).toBe(true)
        }
      }
    },
  )

  it('I01 every endpoint is https when the issuer is https', () => {
    const metadata = buildServerMetadata('https://auth.example.com', 'ES256')
    const urls = Object.entries(metadata).filter(
      ([name]) => name.endsWith('_endpoint') || name.endsWith('_uri'),
    )
    expect(urls.length).toBeGreaterThan(0)
    for (const [, url] of urls) expect(String(url)).toMatch(/^https:\/\/auth\.example\.com\//)
  })

  it('is accepted by oauth4webapi processDiscoveryResponse for the configured issuer', async () => {
    const response = await fetchWorker('/.well-known/openid-configuration')
    const metadata = await processDiscoveryResponse(new URL(ISSUER), response)
    expect(metadata.issuer).toBe(ISSUER)
  })

  it('I02 advertises only endpoints that exist: every URL it names answers, none with 404', async () => {
    const metadata = (await (
      await fetchWorker('/.well-known/openid-configuration')
    ).json()) as Record<string, unknown>
    const urls = Object.entries(metadata).filter(
      ([name]) => name.endsWith('_endpoint') || name === 'jwks_uri',
    )
    for (const [name, url] of urls) {
      const path = new URL(String(url)).pathname
      const response = await fetchWorker(path, {
        method: name === 'jwks_uri' ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: name === 'jwks_uri' ? null : '',
      })
      expect(response.status, `${name} ${path}`).not.toBe(404)
      expect(response.status, `${name} ${path}`).toBeLessThan(500)
    }
  })

  it('is public and cacheable, and readable cross-origin', async () => {
    const response = await fetchWorker('/.well-known/openid-configuration', {
      headers: { Origin: 'https://app.example.com' },
    })
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(response.headers.get('Cache-Control')).toMatch(/public, max-age=\d+/)
  })
})
