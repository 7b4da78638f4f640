import { describe, expect, it } from 'vitest'
import { redirectUriMatches } from '../../../worker/src/domain/redirect-uri'

describe('redirectUriMatches (RFC 9700 §2.1, RFC 8252 §7.3)', () => {
  it.each([
    ['https://app.example/cb', 'https://app.example/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:51234/cb'],
    ['http://127.0.0.1/cb', 'http://127.0.0.1:65535/cb'],
    ['http://127.0.0.1:8080/cb?x=1', 'http://127.0.0.1/cb?x=1'],
    ['http://[::1]:8080/cb', 'http://[::1]:1/cb'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:9090'],
  ])('A01 matches %s with %s', (registered, requested) => {
    expect(redirectUriMatches(registered, requested)).toBe(true)
  })

  it.each([
    ['https://app.example/cb', 'https://app.example/cb/'],
    ['https://app.example/cb', 'https://app.example:8443/cb'],
    ['https://app.example/cb', 'https://APP.example/cb'],
    ['http://localhost:5173/cb', 'http://localhost:5174/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:8080/cb/'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:0/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:65536/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:8080@evil.example/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1.evil.example/cb'],
    ['http://127.0.0.1:8080/cb', 'https://127.0.0.1:8080/cb'],
    ['http://127.0.0.1:8080/cb', 'http://[::1]:8080/cb'],
    ['http://127.0.0.1:8080/cb', 'http://127.0.0.1:8081/cb#x'],
    ['https://127.0.0.1:8080/cb', 'https://127.0.0.1:8081/cb'],
  ])('A01 does not match %s with %s', (registered, requested) => {
    expect(redirectUriMatches(registered, requested)).toBe(false)
  })
})
