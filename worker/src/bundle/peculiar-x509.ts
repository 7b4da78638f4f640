/**
 * What `import ... from '@peculiar/x509'` gives the deployed bundle (`alias` in wrangler.toml).
 *
 * @simplewebauthn/server uses @peculiar/x509 only to validate attestation certificate chains
 * (`validateCertificatePath`, `isCertRevoked`) for the packed, TPM, Android and Apple attestation
 * formats. This server asks for `attestation: 'none'` and verifies only the `none` format, so that
 * code never runs; the package and what it brings (tsyringe, reflect-metadata, the CMS, PKCS and
 * CRL schemas: about 40 KB of gzip) stay out of the bundle. Should a chain ever be validated, the
 * stub fails loudly instead of accepting it.
 */
class LeftOut {
  constructor() {
    throw new Error(
      'X.509 attestation chains are not verified here (attestation: none); see worker/src/bundle/peculiar-x509.ts',
    )
  }
}

export {
  LeftOut as AuthorityKeyIdentifierExtension,
  LeftOut as CRLDistributionPointsExtension,
  LeftOut as SubjectKeyIdentifierExtension,
  LeftOut as X509Certificate,
  LeftOut as X509ChainBuilder,
  LeftOut as X509Crl,
}
