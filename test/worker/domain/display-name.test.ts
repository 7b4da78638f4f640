import { describe, expect, it } from 'vitest'
import { hasControlCharacter } from '../../../worker/src/domain/display-name'
import { CONTROL_CHARACTER_NAMES, TEXT_NAMES } from '../api/control-names'

describe('hasControlCharacter', () => {
  it('N09 finds C0 and C1 control characters and bidi overrides and isolates anywhere', () => {
    for (const name of CONTROL_CHARACTER_NAMES) expect(hasControlCharacter(name), name).toBe(true)
    for (const code of [0x00, 0x1f, 0x7f, 0x80, 0x9f, 0x202a, 0x202e, 0x2066, 0x2069]) {
      expect(hasControlCharacter(`a${String.fromCodePoint(code)}b`), code.toString(16)).toBe(true)
    }
  })

  it('N09 accepts text: letters of any script, emoji sequences, the characters around the ranges', () => {
    for (const name of TEXT_NAMES) expect(hasControlCharacter(name), name).toBe(false)
    for (const code of [0x20, 0x7e, 0xa0, 0x2029, 0x202f, 0x2065, 0x206a]) {
      expect(hasControlCharacter(`a${String.fromCodePoint(code)}b`), code.toString(16)).toBe(false)
    }
  })
})
