/**
 * What `@peculiar/asn1-x509`, `-android`, `-rsa` and `-x509-post-quantum` give the deployed
 * bundle (`alias` in wrangler.toml): the names @simplewebauthn/server imports from them, without
 * the schemas. Only certificate attestation reads certificates, and it is refused before any
 * parsing (`./simplewebauthn-left-out.ts`), so these are never used to
 * parse; should one be, it throws instead of misreading. The object identifiers keep their values.
 */

/** A schema class that is left out: constructing it fails loudly. */
class LeftOut {
  constructor() {
    throw new Error(
      'X.509 and attestation ASN.1 schemas are left out of the worker bundle (attestation: none; ' +
        'worker/src/bundle/peculiar-asn1.ts)',
    )
  }
}

export {
  LeftOut as BasicConstraints,
  LeftOut as Certificate,
  LeftOut as ExtendedKeyUsage,
  LeftOut as KeyDescription,
  LeftOut as RSAPublicKey,
  LeftOut as SubjectAlternativeName,
}

// RFC 5280 §4.2.1
export const id_ce_basicConstraints = '2.5.29.19'
export const id_ce_extKeyUsage = '2.5.29.37'
export const id_ce_subjectAltName = '2.5.29.17'
// Android key attestation extension
export const id_ce_keyDescription = '1.3.6.1.4.1.11129.2.1.17'
// RFC 8017 Appendix A
export const id_rsaEncryption = '1.2.840.113549.1.1.1'
export const id_sha1WithRSAEncryption = '1.2.840.113549.1.1.5'
export const id_sha256WithRSAEncryption = '1.2.840.113549.1.1.11'
export const id_sha384WithRSAEncryption = '1.2.840.113549.1.1.12'
export const id_sha512WithRSAEncryption = '1.2.840.113549.1.1.13'
// RFC 9881 (ML-DSA)
export const id_ml_dsa_44 = '2.16.840.1.101.3.4.3.17'
export const id_ml_dsa_65 = '2.16.840.1.101.3.4.3.18'
export const id_ml_dsa_87 = '2.16.840.1.101.3.4.3.19'
