/**
 * What the deployed bundle has instead of the parts of @simplewebauthn/server that verify
 * attestation certificates (`alias` in wrangler.toml, each entry one of the library's own
 * relative imports, and the same in test/worker/vitest.config.ts).
 *
 * This server asks for `attestation: 'none'` (worker/src/steps/passkeys/start-registration.ts)
 * and accepts a registration whose statement is `none`, or `packed` self attestation (signed by
 * the new credential's own key: no certificate). Certificate attestation (`packed` with `x5c`,
 * `tpm`, `android-key`, `android-safetynet`, `apple`, `fido-u2f`) is refused, as a failed
 * registration: these functions throw and `verifyRegistrationResponse` passes the error on. So
 * the X.509 and ASN.1 parsers, the attestation root certificates, the TPM tables and the FIDO
 * Metadata Service client stay out of the bundle (about 60 KB minified). Nothing else changes:
 * the `none` and self attestation paths and every assertion run the library's own code.
 * @see {@link https://www.w3.org/TR/webauthn-3/#sctn-attestation-formats WebAuthn §8}
 */

/** Thrown by every left-out part: a certificate attestation is refused, never half-checked. */
export class AttestationLeftOut extends Error {
  constructor(what: string) {
    super(
      `${what}: certificate attestation is not accepted here (attestation: none; ` +
        'worker/src/bundle/simplewebauthn-left-out.ts)',
    )
    this.name = 'AttestationLeftOut'
  }
}

const refuse =
  (what: string) =>
  (..._args: unknown[]): never => {
    throw new AttestationLeftOut(what)
  }

// The attestation statement formats other than `none` and `packed` (WebAuthn §8.3-§8.8).
export const verifyAttestationTPM = refuse('tpm attestation')
export const verifyAttestationAndroidKey = refuse('android-key attestation')
export const verifyAttestationAndroidSafetyNet = refuse('android-safetynet attestation')
export const verifyAttestationApple = refuse('apple attestation')
export const verifyAttestationFIDOU2F = refuse('fido-u2f attestation')

// `packed` with a certificate (`x5c`): its first step, reading the certificate, refuses; the
// rest of that branch is never reached.
export const getCertificateInfo = refuse('packed attestation certificate')
export const validateExtFIDOGenCEAAGUID = refuse('packed attestation certificate')
export const validateCertificatePath = refuse('attestation certificate chain')
export const verifyAttestationWithMetadata = refuse('attestation metadata')
export const convertX509PublicKeyToCOSE = refuse('attestation certificate key')
export const isCertRevoked = refuse('attestation certificate revocation')
export const verifyMDSBlob = refuse('FIDO Metadata Service')

/**
 * The FIDO Metadata Service clients, never initialized here: the library's own answer while
 * they are not (no statement, no provider metadata), without their download and cache code.
 */
const disabledMetadataService = {
  initialize: refuse('FIDO Metadata Service'),
  getStatement: async (_aaguid: unknown): Promise<undefined> => undefined,
  getProviderMetadata: async (_aaguid: unknown): Promise<undefined> => undefined,
}

export {
  disabledMetadataService as ConvenienceMetadataService,
  disabledMetadataService as MetadataService,
}

// The root certificates of the left-out formats: nothing reads them (about 12 KB of PEM).
export const Google_Android_Key_Attestation_CA1 = ''
export const Google_Hardware_Attestation_Root_2 = ''
export const Google_Hardware_Attestation_Root_3 = ''
export const Google_Hardware_Attestation_Root_4 = ''
export const GlobalSign_Root_CA = ''
export const Apple_WebAuthn_Root_CA = ''
export const GlobalSign_Root_CA_R3 = ''
export const GlobalSign_Root_R46 = ''
