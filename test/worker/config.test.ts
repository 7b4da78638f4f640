import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ConfigError, readConfig } from '../../worker/src/config'

const production = { ISSUER: 'https://auth.example.com', KEY_ENCRYPTION_SECRET: 'k'.repeat(32) }

function problemsOf(vars: Parameters<typeof readConfig>[0]): string[] {
  try {
    readConfig(vars)
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems]
    throw error
  }
  return []
}

describe('readConfig', () => {
  it('accepts a production configuration and freezes it', () => {
    const config = readConfig(production)
    expect(config.environment).toBe('production')
    expect(config.issuer).toBe('https://auth.example.com')
    expect(config.accessTokenSigningAlg).toBe('ES256')
    expect(config.clientCacheTtlSeconds).toBe(0)
    expect(config.demo).toBeUndefined()
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('refuses to run in production without KEY_ENCRYPTION_SECRET, naming the variable', () => {
    expect(problemsOf({ ISSUER: 'https://auth.example.com' })).toEqual([
      expect.stringContaining('KEY_ENCRYPTION_SECRET is missing'),
    ])
  })

  it('allows a missing KEY_ENCRYPTION_SECRET in development only', () => {
    const config = readConfig({ ISSUER: 'http://localhost:8787', ENVIRONMENT: 'development' })
    expect(config.keyEncryptionSecret.length).toBeGreaterThanOrEqual(32)
  })

  it.each([
    ['https://auth.example.com/', 'must not end with "/"'],
    ['auth.example.com', 'not an absolute URL'],
    ['https://auth.example.com?tenant=1', 'query or a fragment'],
    ['https://auth.example.com#x', 'query or a fragment'],
    ['ftp://auth.example.com', 'http(s) URL'],
    ['https://user:pw@auth.example.com', 'credentials'],
    ['HTTPS://Auth.Example.com', 'canonical form'],
    ['http://auth.example.com', 'https in production'],
    ['', 'ISSUER is missing'],
  ])('rejects the malformed ISSUER %j (RFC 8414 §2)', (issuer, message) => {
    expect(problemsOf({ ...production, ISSUER: issuer })).toEqual([
      expect.stringContaining(message),
    ])
  })

  it('reports every problem at once', () => {
    const problems = problemsOf({
      ISSUER: 'https://auth.example.com/',
      KEY_ENCRYPTION_SECRET: 'short',
      OPS_TOKEN: 'short',
      ACCESS_TOKEN_SIGNING_ALG: 'HS256',
      CLIENT_CACHE_TTL_SECONDS: '60',
      LOG_LEVEL: 'loud',
      ENVIRONMENT: 'staging',
    })
    expect(problems).toHaveLength(7)
  })

  it('reads the demo seed outside production and reports an incomplete one', () => {
    expect(readConfig(env).demo?.tenantId).toBe(env.DEMO_TENANT_ID)
    expect(problemsOf({ ...env, DEMO_ADMIN_PASSWORD: '' })).toEqual([
      expect.stringContaining('DEMO_ADMIN_PASSWORD'),
    ])
  })

  it('reads the tenant of metadata-document clients, unset when absent or empty (issue 17)', () => {
    expect(readConfig(production).metadataDocumentTenantId).toBeUndefined()
    expect(
      readConfig({ ...production, METADATA_DOCUMENT_TENANT_ID: '' }).metadataDocumentTenantId,
    ).toBeUndefined()
    expect(
      readConfig({ ...production, METADATA_DOCUMENT_TENANT_ID: 't1' }).metadataDocumentTenantId,
    ).toBe('t1')
  })
})
