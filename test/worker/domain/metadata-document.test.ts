import { describe, expect, it } from 'vitest'
import {
  documentLifetime,
  isMetadataDocumentClientId,
  metadataDocumentUrlProblem,
  policyAllows,
  readMetadataDocument,
} from '../../../worker/src/domain/metadata-document'

describe('client ID metadata document rules (draft-ietf-oauth-client-id-metadata-document)', () => {
  it('tells URL client ids from stored ids', () => {
    expect(isMetadataDocumentClientId('https://agent.example/c.json')).toBe(true)
    expect(isMetadataDocumentClientId('HTTP://localhost/c.json')).toBe(true)
    expect(isMetadataDocumentClientId('5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d')).toBe(false)
    expect(isMetadataDocumentClientId(undefined)).toBe(false)
  })

  it('accepts https URLs with a path, and loopback http outside production only (§3)', () => {
    expect(metadataDocumentUrlProblem('https://agent.example/c.json', 'production')).toBeUndefined()
    expect(
      metadataDocumentUrlProblem('https://agent.example:8443/a/b?v=1', 'production'),
    ).toBeUndefined()
    expect(metadataDocumentUrlProblem('http://127.0.0.1:8788/c', 'development')).toBeUndefined()
    expect(metadataDocumentUrlProblem('http://127.0.0.1:8788/c', 'production')).toBe(
      'must use https',
    )
    expect(metadataDocumentUrlProblem('HTTPS://Agent.example/c', 'production')).toBe(
      'must be in canonical form',
    )
    expect(metadataDocumentUrlProblem('https://agent.example/a/./c', 'production')).toBe(
      'must not contain dot segments',
    )
  })

  it('bounds the lifetime of a document by its Cache-Control (RFC 9111 §5.2.2)', () => {
    expect(documentLifetime(null)).toBe(3600)
    expect(documentLifetime('public, max-age=600')).toBe(600)
    expect(documentLifetime('s-maxage=7200')).toBe(7200)
    expect(documentLifetime('max-age=5')).toBe(60)
    expect(documentLifetime('max-age=31536000')).toBe(86400)
    expect(documentLifetime('no-store')).toBe(60)
    expect(documentLifetime('No-Cache, max-age=600')).toBe(60)
  })

  it('lets a host in under all, on the allow-list only under allow-list, never under none', () => {
    const url = 'https://claude.ai/oauth/client.json'
    expect(policyAllows({ policy: 'all', hosts: [] }, url)).toBe(true)
    expect(policyAllows({ policy: 'allow-list', hosts: ['claude.ai'] }, url)).toBe(true)
    expect(policyAllows({ policy: 'allow-list', hosts: ['evil.ai'] }, url)).toBe(false)
    expect(policyAllows({ policy: 'allow-list', hosts: ['ai'] }, url)).toBe(false)
    expect(policyAllows({ policy: 'none', hosts: ['claude.ai'] }, url)).toBe(false)
  })

  it('lets in under allow-list only the listed host on the default https port, not another port of it', () => {
    // Another port of a host may be another service (or another customer of a shared host).
    const listed = { policy: 'allow-list', hosts: ['claude.ai'] } as const
    expect(policyAllows(listed, 'https://claude.ai:443/oauth/client.json')).toBe(true)
    expect(policyAllows(listed, 'https://claude.ai:8443/oauth/client.json')).toBe(false)
  })

  it('N09 refuses a client_name with control or bidirectional override characters, as registration does', () => {
    const url = 'https://agent.example/client.json'
    const document = (name: string) => ({
      client_id: url,
      client_name: name,
      redirect_uris: ['https://agent.example/callback'],
    })
    expect(readMetadataDocument(document('Research Agent'), url, 'production')).toHaveProperty(
      'metadata',
    )
    // U+202E makes "Agent (moc.elgoog)" read as "Agent (google.com)" on the consent page.
    for (const name of ['Agent \u202e(moc.elgoog)', 'Agent\u2066x', 'Agent\u0085x']) {
      expect(readMetadataDocument(document(name), url, 'production')).toHaveProperty('problem')
    }
  })
})
