import { describe, expect, it } from 'vitest'
import { readAuthorizationRequest } from '../../../../worker/src/steps/authorize/authorization-request'

describe('readAuthorizationRequest (RFC 6749 §3.1)', () => {
  it('reads each parameter once, empty values as absent, unknown ones kept for the round trip', () => {
    const request = readAuthorizationRequest(
      new URLSearchParams('client_id=c&state=&scope=openid&extra=x&max_age=0'),
    )
    expect(request.clientId).toBe('c')
    expect(request.state).toBeUndefined()
    expect(request.scope).toBe('openid')
    expect(request.maxAge).toBe('0')
    expect(request.params.get('extra')).toEqual(['x'])
    expect(request.params.has('state')).toBe(false)
    expect(request.repeated.size).toBe(0)
  })

  it('A05 reads a repeated parameter as absent and names it in repeated', () => {
    const request = readAuthorizationRequest(
      new Map([
        ['state', ['a', 'b']],
        ['redirect_uri', ['https://a.example/cb']],
      ]),
    )
    expect(request.state).toBeUndefined()
    expect([...request.repeated]).toEqual(['state'])
    expect(request.redirectUri).toBe('https://a.example/cb')
  })
})
