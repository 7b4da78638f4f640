import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isLoopback, siteOf } from '../../client-lib/src/site.js'

describe('siteOf()', () => {
  it('puts the app and an issuer on another port of localhost on the same site', () => {
    expect(siteOf('http://localhost:5173')).toBe(siteOf('http://localhost:8787'))
  })

  it('separates localhost from 127.0.0.1: the cross-site layout of the end-to-end tests', () => {
    expect(siteOf('http://localhost:5173')).not.toBe(siteOf('http://127.0.0.1:8787'))
  })

  it('puts sibling subdomains on one site (app.example.com and auth.example.com)', () => {
    fc.assert(
      fc.property(fc.domain(), fc.domain(), (a, b) => {
        const [left, right] = [`https://${a}.example.com`, `https://${b}.example.com`]
        return siteOf(left) === siteOf(right) && siteOf(left) === 'https://example.com'
      }),
    )
  })

  it('compares schemes too (schemeful same-site)', () => {
    expect(siteOf('http://app.example.com')).not.toBe(siteOf('https://auth.example.com'))
  })

  it('compares IP literals exactly', () => {
    expect(siteOf('http://10.0.0.1')).not.toBe(siteOf('http://10.0.0.2'))
    expect(siteOf('http://[::1]:8787')).toBe('http://[::1]')
  })

  it('separates different registrable domains', () => {
    expect(siteOf('https://app.example.com')).not.toBe(siteOf('https://auth.example.org'))
  })
})

describe('isLoopback()', () => {
  it.each([
    ['http://localhost:8787', true],
    ['http://127.0.0.1:8787', true],
    ['http://[::1]:8787', true],
    ['http://localhost.example.com', false],
    ['https://auth.example.com', false],
  ])('%s is loopback: %s (RFC 8252 §8.3)', (url, expected) => {
    expect(isLoopback(new URL(url))).toBe(expected)
  })
})
