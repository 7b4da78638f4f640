import { describe, expect, it } from 'vitest'
import {
  type ApiResource,
  checkResourceIndicators,
  registrableIdentifierProblem,
  resourceTarget,
} from '../../../worker/src/domain/resource'
import { OAuthError } from '../../../worker/src/errors'

const resource = (overrides: Partial<ApiResource>): ApiResource => ({
  id: 'r',
  tenantId: 't',
  identifier: 'https://a.example.com/mcp',
  name: 'A',
  scopes: [],
  accessTokenLifetime: 3600,
  requireDpop: false,
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
})

function targetError(values: string[]): string | undefined {
  try {
    checkResourceIndicators(values)
    return undefined
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    return error.code
  }
}

describe('resource indicators (RFC 8707 §2)', () => {
  it('accepts absolute URIs, with a query, and drops duplicates in order', () => {
    expect(
      checkResourceIndicators([
        'https://b.example.com/x?y=1',
        'urn:example:api',
        'https://b.example.com/x?y=1',
      ]),
    ).toEqual(['https://b.example.com/x?y=1', 'urn:example:api'])
  })

  it('answers invalid_target for a relative URI, a fragment, spaces or too many resources', () => {
    for (const value of ['/mcp', 'mcp', '//host/mcp', 'https://a.example.com/#f', 'https://a b']) {
      expect(targetError([value]), value).toBe('invalid_target')
    }
    const eleven = Array.from({ length: 11 }, (_, i) => `https://a.example.com/${i}`)
    expect(targetError(eleven)).toBe('invalid_target')
  })

  it('registers https identifiers, and http only on loopback hosts outside production', () => {
    expect(registrableIdentifierProblem('https://a.example.com/mcp', true)).toBeUndefined()
    expect(registrableIdentifierProblem('http://localhost:8788/mcp', false)).toBeUndefined()
    expect(registrableIdentifierProblem('http://localhost:8788/mcp', true)).toBeDefined()
    expect(registrableIdentifierProblem('http://a.example.com/mcp', false)).toBeDefined()
    expect(registrableIdentifierProblem('urn:example:api', false)).toBeDefined()
    expect(registrableIdentifierProblem('https://user:pw@a.example.com/', false)).toBeDefined()
  })
})

describe('the access token for resources (RFC 8707 §2.2)', () => {
  it('is for the resources: their identifiers, the scopes they define, the shortest lifetime, DPoP if one needs it', () => {
    const a = resource({
      identifier: 'https://a.example.com',
      scopes: ['a'],
      accessTokenLifetime: 900,
    })
    const b = resource({
      identifier: 'https://b.example.com',
      scopes: ['b'],
      accessTokenLifetime: 300,
      requireDpop: true,
    })
    expect(resourceTarget([a], ['openid', 'a', 'b'])).toEqual({
      audience: 'https://a.example.com',
      scope: ['a'],
      lifetimeSeconds: 900,
      requireDpop: false,
    })
    expect(resourceTarget([a, b], ['a', 'b'])).toEqual({
      audience: ['https://a.example.com', 'https://b.example.com'],
      scope: ['a', 'b'],
      lifetimeSeconds: 300,
      requireDpop: true,
    })
  })
})
