import { describe, expect, it } from 'vitest'
import {
  commonPasswordKey,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordRuleProblem,
} from '../../../worker/src/domain/password-policy'

// The rules that need no data. The blocklist of common passwords is in D1: its tests are in
// test/worker/steps/check-new-password.test.ts.
const email = 'ada.lovelace@example.com'
const problem = (password: string, address = email) =>
  passwordRuleProblem(password, { email: address })

describe('password policy (NIST SP 800-63B-4 §3.1.1.2)', () => {
  it('accepts a passphrase of any characters, with no composition rule', () => {
    expect(problem('tilted orbit lantern 42')).toBeUndefined()
    expect(problem('alllowercaseletters')).toBeUndefined()
  })

  it('refuses fewer than 10 characters and accepts exactly 10', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10)
    expect(problem('a7#kQ2!zP')).toMatch(/at least 10 characters/)
    expect(problem('a7#kQ2!zPw')).toBeUndefined()
  })

  it('counts each Unicode code point as one character, not UTF-16 units', () => {
    // Nine emoji are 18 UTF-16 units but nine characters.
    expect(problem('🔑'.repeat(9))).toMatch(/at least 10/)
    expect(problem('🔑'.repeat(10))).toBeUndefined()
    expect(problem('é'.repeat(PASSWORD_MAX_LENGTH))).toBeUndefined()
    expect(problem('🔑'.repeat(PASSWORD_MAX_LENGTH))).toBeUndefined()
  })

  it('refuses more than 200 characters', () => {
    expect(problem('x7'.repeat(100))).toBeUndefined()
    expect(problem(`${'x7'.repeat(100)}y`)).toMatch(/at most 200 characters/)
    expect(problem('🔑'.repeat(PASSWORD_MAX_LENGTH + 1))).toMatch(/at most 200/)
  })

  it('refuses the local part of the email, alone or inside, in any case (context-specific words)', () => {
    expect(problem('ada.lovelace')).toMatch(/before the @/)
    expect(problem('my-ADA.Lovelace-2026')).toMatch(/before the @/)
    expect(problem('lovelace-ada-2026')).toBeUndefined()
  })

  it('refuses a very short local part only as the whole password', () => {
    expect(problem('jo-sailing-north', 'jo@example.com')).toBeUndefined()
    expect(problem('0123456789', '0123456789@example.com')).toMatch(/before the @/)
  })

  it('looks a password up in the common-password blocklist in lower case, as the list is written', () => {
    expect(commonPasswordKey('PassWord123')).toBe('password123')
    expect(commonPasswordKey('BASKETBALL')).toBe('basketball')
  })

  it('leaves a common password to the blocklist: the data-free rules accept it', () => {
    expect(problem('qwertyuiop')).toBeUndefined()
  })
})
