/**
 * What `@peculiar/asn1-schema` and `@peculiar/asn1-ecc` give the deployed bundle (`alias` in
 * wrangler.toml): the one thing @simplewebauthn/server still asks of them once certificate
 * attestation is left out (`./simplewebauthn-left-out.ts`), reading the two integers of an ECDSA
 * signature, `AsnParser.parse(signature, ECDSASigValue)`, before it converts them to the
 * fixed-size `r || s` that WebCrypto verifies (the library's `unwrapEC2Signature`, unchanged).
 * The general ASN.1 BER parser behind it (asn1js with @peculiar/utils and pvtsutils, about
 * 100 KB minified) stays out.
 *
 * This reads DER only: `SEQUENCE { INTEGER r, INTEGER s }` with minimal definite lengths and
 * nothing after it; anything else throws, which the library answers as a failed verification.
 * The integers' contents are passed on as asn1js passes them (the library checks their length
 * and leading zero). It decodes; the signature is verified by WebCrypto, as before.
 * @see {@link https://www.rfc-editor.org/rfc/rfc3279#section-2.2.3 RFC 3279 §2.2.3}
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-signature-attestation-types WebAuthn §6.5.5}
 */

/** An ECDSA signature's two integers (RFC 3279 `Ecdsa-Sig-Value`), as asn1-ecc's class holds them. */
export class ECDSASigValue {
  r = new ArrayBuffer(0)
  s = new ArrayBuffer(0)
  constructor(params: Partial<ECDSASigValue> = {}) {
    Object.assign(this, params)
  }
}

/** A schema that is left out: constructing it fails loudly. */
class LeftOut {
  constructor() {
    throw new Error(
      'ASN.1 schemas other than ECDSA-Sig-Value are left out of the worker bundle ' +
        '(worker/src/bundle/ecdsa-signature.ts)',
    )
  }
}

export { LeftOut as ECParameters, LeftOut as OctetString }

/** Thrown for a signature that is not a DER `Ecdsa-Sig-Value`. */
export class EcdsaSignatureError extends Error {
  constructor(reason: string) {
    super(`Invalid ECDSA signature (DER): ${reason}`)
    this.name = 'EcdsaSignatureError'
  }
}

const SEQUENCE = 0x30
const INTEGER = 0x02

/** The content of the element with `tag` at `at`: its start and end; minimal definite length. */
function element(der: Uint8Array, at: number, tag: number): { start: number; end: number } {
  if (der[at] !== tag) throw new EcdsaSignatureError(`expected tag ${tag} at ${at}`)
  const first = der[at + 1]
  if (first === undefined) throw new EcdsaSignatureError('truncated length')
  let length = first
  let start = at + 2
  if (first === 0x81) {
    // One length byte: only for lengths of 128 or more (DER, X.690 §10.1).
    length = der[at + 2] ?? 0
    if (length < 0x80) throw new EcdsaSignatureError('non-minimal length')
    start = at + 3
  } else if (first > 0x80) {
    // Longer forms: never needed for ECDSA signatures of P-256, P-384 or P-521.
    throw new EcdsaSignatureError('unsupported length')
  } else if (first === 0x80) {
    throw new EcdsaSignatureError('indefinite length')
  }
  const end = start + length
  if (end > der.length) throw new EcdsaSignatureError('truncated')
  return { start, end }
}

/** `r` and `s` of a DER `Ecdsa-Sig-Value`, their contents as the encoding holds them. */
export function readEcdsaSignature(signature: Uint8Array): ECDSASigValue {
  const sequence = element(signature, 0, SEQUENCE)
  if (sequence.end !== signature.length) throw new EcdsaSignatureError('bytes after the signature')
  const r = element(signature, sequence.start, INTEGER)
  const s = element(signature, r.end, INTEGER)
  if (s.end !== sequence.end) throw new EcdsaSignatureError('bytes after s')
  if (r.end === r.start || s.end === s.start) throw new EcdsaSignatureError('empty integer')
  return new ECDSASigValue({
    r: signature.slice(r.start, r.end).buffer,
    s: signature.slice(s.start, s.end).buffer,
  })
}

/** `AsnParser.parse(data, ECDSASigValue)`: the only parse left in the bundle. */
export const AsnParser = {
  parse(data: BufferSource, schema: unknown): ECDSASigValue {
    if (schema !== ECDSASigValue) return new LeftOut() as never
    const bytes = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data)
    return readEcdsaSignature(bytes)
  },
}

// RFC 5480 §2.1.1, §2.1.1.1 and RFC 5758 §3.2: the object identifiers keep their values.
export const id_ecPublicKey = '1.2.840.10045.2.1'
export const id_secp256r1 = '1.2.840.10045.3.1.7'
export const id_secp384r1 = '1.3.132.0.34'
export const id_ecdsaWithSHA256 = '1.2.840.10045.4.3.2'
export const id_ecdsaWithSHA384 = '1.2.840.10045.4.3.3'
export const id_ecdsaWithSHA512 = '1.2.840.10045.4.3.4'
