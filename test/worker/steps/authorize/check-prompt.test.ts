import { describe, expect, it } from 'vitest'
import { OAuthError } from '../../../../worker/src/errors'
import { checkMaxAge, checkPrompt } from '../../../../worker/src/steps/authorize/check-prompt'

describe('checkPrompt (OIDC Core §3.1.2.1)', () => {
  it('reads no prompt as none asked, and a space-separated list as a set', () => {
    expect(checkPrompt(undefined)).toEqual(new Set())
    expect(checkPrompt('login')).toEqual(new Set(['login']))
    expect(checkPrompt('login consent')).toEqual(new Set(['login', 'consent']))
    expect(checkPrompt('select_account')).toEqual(new Set(['select_account']))
  })

  it.each(['none login', 'consent none', 'login bogus', 'LOGIN', 'login  consent'])(
    'H04 refuses prompt=%j with invalid_request',
    (prompt) => {
      expect(() => checkPrompt(prompt)).toThrowError(OAuthError)
      try {
        checkPrompt(prompt)
      } catch (error) {
        expect((error as OAuthError).code).toBe('invalid_request')
      }
    },
  )
})

describe('checkMaxAge (OIDC Core §3.1.2.1)', () => {
  it('reads a non-negative integer number of seconds', () => {
    expect(checkMaxAge(undefined)).toBeUndefined()
    expect(checkMaxAge('0')).toBe(0)
    expect(checkMaxAge('3600')).toBe(3600)
  })

  it.each(['-1', '1.5', 'abc', '', ' 1', '9007199254740993000'])(
    'H09 refuses max_age=%j with invalid_request',
    (maxAge) => {
      expect(() => checkMaxAge(maxAge)).toThrowError(/max_age/)
    },
  )
})
