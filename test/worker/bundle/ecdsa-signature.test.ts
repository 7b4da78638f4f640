import * as asn1js from 'asn1js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AsnParser,
  ECDSASigValue,
  readEcdsaSignature,
} from '../../../worker/src/bundle/ecdsa-signature'

// wrangler.toml aliases @peculiar/asn1-schema and @peculiar/asn1-ecc to
// worker/src/bundle/ecdsa-signature.ts (issue 14); asn1js, the BER parser they use, is the
// reference here: every signature this reads, asn1js reads the same.

/** asn1js's reading of `SEQUENCE { INTEGER, INTEGER }`, or undefined when it has none. */
function reference(bytes: Uint8Array): { r: number[]; s: number[] } | undefined {
  const parsed = asn1js.fromBER(bytes)
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return undefined
  const [r, s] = parsed.result.valueBlock.value
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) return undefined
  return { r: [...r.valueBlock.valueHexView], s: [...s.valueBlock.valueHexView] }
}

const read = (bytes: Uint8Array) => {
  const value = readEcdsaSignature(bytes)
  return { r: [...new Uint8Array(value.r)], s: [...new Uint8Array(value.s)] }
}

/** DER of `SEQUENCE { INTEGER r, INTEGER s }` for integer contents of up to 127 bytes in all. */
function der(r: Uint8Array, s: Uint8Array): Uint8Array {
  const integer = (v: Uint8Array) => [0x02, v.length, ...v]
  const body = [...integer(r), ...integer(s)]
  const length = body.length < 0x80 ? [body.length] : [0x81, body.length]
  return new Uint8Array([0x30, ...length, ...body])
}

const content = fc.uint8Array({ minLength: 1, maxLength: 67 })

describe("the bundle's ECDSA signature reader (worker/src/bundle/ecdsa-signature.ts)", () => {
  it('reads every DER signature as asn1js does, P-521 sizes included', () => {
    fc.assert(
      fc.property(content, content, (r, s) => {
        const bytes = der(r, s)
        expect(read(bytes)).toEqual(reference(bytes))
        expect(read(bytes)).toEqual({ r: [...r], s: [...s] })
      }),
    )
  })

  it('never reads a mutated or truncated signature differently from asn1js', () => {
    fc.assert(
      fc.property(
        content,
        content,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(),
        (r, s, at, byte, cut) => {
          const bytes = der(r, s)
          bytes[at % bytes.length] = byte
          const tried = bytes.subarray(0, bytes.length - (cut % 3))
          let ours: ReturnType<typeof read> | undefined
          try {
            ours = read(tried)
          } catch {
            return
          }
          expect(ours).toEqual(reference(tried))
        },
      ),
    )
  })

  it('refuses BER forms, trailing bytes and other structures', () => {
    const valid = der(new Uint8Array([1]), new Uint8Array([2]))
    for (const bytes of [
      new Uint8Array([]),
      new Uint8Array([...valid, 0]),
      new Uint8Array([0x30, 0x81, 0x06, ...valid.subarray(2)]),
      new Uint8Array([0x30, 0x80, ...valid.subarray(2), 0, 0]),
      new Uint8Array([0x30, 0x09, ...valid.subarray(2), 0x02, 0x01, 0x03]),
      new Uint8Array([0x30, 0x04, 0x02, 0x00, 0x02, 0x00]),
      new Uint8Array([0x31, ...valid.subarray(1)]),
    ]) {
      expect(() => readEcdsaSignature(bytes)).toThrow(/Invalid ECDSA signature/)
    }
  })

  it('parses only ECDSA-Sig-Value through AsnParser, from any BufferSource', () => {
    const bytes = der(new Uint8Array([0, 0x80]), new Uint8Array([5]))
    const value = AsnParser.parse(bytes.buffer as ArrayBuffer, ECDSASigValue)
    expect([...new Uint8Array(value.r)]).toEqual([0, 0x80])
    expect([...new Uint8Array(AsnParser.parse(bytes.subarray(0), ECDSASigValue).s)]).toEqual([5])
    expect(() => AsnParser.parse(bytes, class Certificate {})).toThrow(/left out/)
  })
})
