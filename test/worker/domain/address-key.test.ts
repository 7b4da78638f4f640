import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addressKey } from '../../../worker/src/domain/address-key'

describe('addressKey', () => {
  it('N02 keys an IPv6 address by its /64 prefix, in any of its text forms (RFC 4291 §2.2)', () => {
    expect(addressKey('2001:db8:0:1::a')).toBe('2001:db8:0:1::/64')
    expect(addressKey('2001:0DB8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64')
  })

  it('N02 keeps IPv4 addresses whole, also when mapped into IPv6 (RFC 4291 §2.5.5.2)', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7')
    expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7')
    expect(addressKey('::ffff:c633:6407')).toBe('198.51.100.7')
  })

  it('keeps anything that is not an address as it is', () => {
    for (const text of [
      'unknown',
      '',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '::ffff:1.2.3.256',
      'g::1',
    ]) {
      expect(addressKey(text)).toBe(text)
    }
  })

  it('N02 gives every address of one /64 the same key, and addresses of other /64s others', () => {
    const hextet = fc.integer({ min: 0, max: 0xffff })
    const address = fc.array(hextet, { minLength: 8, maxLength: 8 })
    const text = (groups: number[]) => groups.map((g) => g.toString(16)).join(':')
    fc.assert(
      fc.property(address, address, (a, b) => {
        const sameNetwork = [...a.slice(0, 4), ...b.slice(4)]
        expect(addressKey(text(sameNetwork))).toBe(addressKey(text(a)))
        const samePrefix = a.slice(0, 4).join() === b.slice(0, 4).join()
        expect(addressKey(text(b)) === addressKey(text(a))).toBe(samePrefix)
      }),
    )
  })

  it('maps every IPv6 text form fast-check generates to a /64 key', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        expect(addressKey(address)).toMatch(/^([0-9a-f]{1,4}:){4}:\/64$|^\d+\.\d+\.\d+\.\d+$/)
      }),
    )
  })
})
