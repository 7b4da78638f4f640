import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPublicAddress, parseIpv6 } from '../../../worker/src/domain/public-address'

const octet = fc.integer({ min: 0, max: 255 })
const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`
const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16))

describe('public addresses before fetching a metadata document (SSRF, issue 17)', () => {
  it('refuses every private, loopback, link-local, CGNAT, multicast and reserved IPv4 address', () => {
    const ranges: [number, number, number][] = [
      // first octet, second octet low bound, second octet high bound
      [10, 0, 255],
      [127, 0, 255],
      [0, 0, 255],
      [169, 254, 254],
      [172, 16, 31],
      [192, 168, 168],
      [100, 64, 127],
    ]
    fc.assert(
      fc.property(fc.constantFrom(...ranges), octet, octet, octet, ([a, lo, hi], b, c, d) => {
        const second = lo + (b % (hi - lo + 1))
        expect(isPublicAddress(v4(a, second, c, d))).toBe(false)
      }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 224, max: 255 }), octet, octet, octet, (a, b, c, d) => {
        expect(isPublicAddress(v4(a, b, c, d))).toBe(false)
      }),
    )
  })

  it('accepts public IPv4 addresses', () => {
    for (const address of ['1.1.1.1', '8.8.8.8', '104.16.0.1', '172.32.0.1', '100.128.0.1']) {
      expect(isPublicAddress(address)).toBe(true)
    }
  })

  it('refuses any IPv4 address embedded in IPv6 (mapped, compatible, NAT64, 6to4)', () => {
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        const address = v4(a, b, c, d)
        expect(isPublicAddress(`::ffff:${address}`)).toBe(false)
        expect(isPublicAddress(`::${address}`)).toBe(false)
        expect(isPublicAddress(`64:ff9b::${address}`)).toBe(false)
        expect(isPublicAddress(`2002:${((a << 8) | b).toString(16)}::1`)).toBe(false)
      }),
    )
  })

  it('refuses IPv6 loopback, unspecified, unique-local, link-local and multicast addresses', () => {
    expect(isPublicAddress('::1')).toBe(false)
    expect(isPublicAddress('::')).toBe(false)
    expect(isPublicAddress('[::1]')).toBe(false)
    fc.assert(
      fc.property(
        fc.constantFrom('fc', 'fd', 'fe8', 'fe9', 'fea', 'feb', 'ff0', 'ff1'),
        hex,
        hex,
        (prefix, x, y) => {
          const first = `${prefix}${'0'.repeat(4 - prefix.length)}`
          expect(isPublicAddress(`${first}::${x}:${y}`)).toBe(false)
        },
      ),
    )
  })

  it('accepts global unicast IPv6 addresses', () => {
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true)
    expect(isPublicAddress('2a00:1450:4001:80b::200e')).toBe(true)
  })

  it('refuses anything that is not an address', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(parseIpv6(text) === undefined && !/^\d+\.\d+\.\d+\.\d+$/.test(text))
        expect(isPublicAddress(text)).toBe(false)
      }),
    )
    for (const text of ['010.0.0.1', '1.2.3', '1.2.3.256', 'localhost', 'fe80::1%eth0', '1:2:3']) {
      expect(isPublicAddress(text)).toBe(false)
    }
  })

  it('reads the eight groups of any IPv6 address, compressed or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
        (groups) => {
          expect(parseIpv6(groups.map((g) => g.toString(16)).join(':'))).toEqual(groups)
        },
      ),
    )
    expect(parseIpv6('::ffff:10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001])
    expect(parseIpv6('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1])
  })
})
