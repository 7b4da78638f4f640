import { metadataUrl, protectedResource } from '@edge-identity/resource-server'
import { describe, expect, it } from 'vitest'
import { METADATA_URL, protectedApp } from './helpers/app'
import { ISSUER, RESOURCE, testIssuer } from './helpers/issuer'

describe('protected-resource metadata (RFC 9728)', () => {
  it('inserts the well-known path between host and resource path (RFC 9728 §3.1)', () => {
    expect(metadataUrl('https://api.example/mcp').href).toBe(METADATA_URL)
    expect(metadataUrl('https://api.example/').href).toBe(
      'https://api.example/.well-known/oauth-protected-resource',
    )
    expect(metadataUrl('http://localhost:8788/a/b?x=1').href).toBe(
      'http://localhost:8788/.well-known/oauth-protected-resource/a/b?x=1',
    )
  })

  it('serves the document at the metadata path, readable across origins (RFC 9728 §3.2)', async () => {
    const { app } = protectedApp(await testIssuer())
    const response = await app.request(METADATA_URL)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/json')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(await response.json()).toEqual({
      resource: RESOURCE,
      authorization_servers: [ISSUER],
      scopes_supported: ['mcp:tools'],
      bearer_methods_supported: ['header'],
      resource_name: 'Test MCP',
      dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256', 'PS256'],
      dpop_bound_access_tokens_required: false,
    })
  })

  it('answers a CORS preflight and refuses other methods with 405', async () => {
    const { app } = protectedApp(await testIssuer())
    const preflight = await app.request(METADATA_URL, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Methods')).toContain('GET')
    expect((await app.request(METADATA_URL, { method: 'POST' })).status).toBe(405)
  })

  it('leaves DPoP out of the document when DPoP is off', async () => {
    const { app } = protectedApp(await testIssuer(), { dpop: 'off' })
    const document = (await (await app.request(METADATA_URL)).json()) as Record<string, unknown>
    expect(document).not.toHaveProperty('dpop_signing_alg_values_supported')
  })

  it('refuses alg none, HMAC algorithms and a resource with a fragment at construction', () => {
    const base = { issuer: ISSUER, resource: RESOURCE }
    expect(() => protectedResource({ ...base, algorithms: ['none'] })).toThrow(TypeError)
    expect(() => protectedResource({ ...base, algorithms: ['HS256'] })).toThrow(TypeError)
    expect(() => protectedResource({ ...base, resource: `${RESOURCE}#x` })).toThrow(TypeError)
  })
})
