import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers'

/** Authenticator data flags (WebAuthn §6.1): user present, verified, backup eligible/state. */
export const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const

const encoder = new TextEncoder()

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value)
  return out
}

/** WebCrypto's P1363 (r || s) ECDSA signature as the ASN.1 DER WebAuthn uses for ES256. */
function derSignature(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const integer = (bytes: Uint8Array) => {
    let start = 0
    while (start < bytes.length - 1 && bytes[start] === 0) start++
    let body: Uint8Array<ArrayBuffer> = concat(bytes.slice(start))
    if ((body[0] ?? 0) & 0x80) body = concat(new Uint8Array([0]), body)
    return concat(new Uint8Array([0x02, body.length]), body)
  }
  const seq = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)))
  return concat(new Uint8Array([0x30, seq.length]), seq)
}

export interface SoftwareAuthenticatorOptions {
  /** Sets BE and BS (a synced passkey); off: a device-bound key. */
  backedUp?: boolean
  /** Clear UV to present an assertion without user verification. */
  userVerified?: boolean
  /**
   * The attestation statement of `create()` (WebAuthn §8): `none` (the default, what browsers
   * send when `none` is asked for); `packed-self`, signed by the new credential's own key;
   * `packed-x5c` and `tpm`, certificate attestation (with a placeholder certificate).
   */
  attestation?: 'none' | 'packed-self' | 'packed-x5c' | 'tpm'
}

/** A placeholder attestation certificate: never parsed, certificate attestation is refused. */
const PLACEHOLDER_CERTIFICATE = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])

/**
 * A passkey authenticator in software (ES256, `none` attestation), for tests of the ceremonies:
 * what a browser and an authenticator would answer to `create()` and `get()`, as the JSON of
 * `PublicKeyCredential.toJSON()` (WebAuthn Level 3 §5.1).
 */
export class SoftwareAuthenticator {
  signCount = 0
  readonly credentialId = crypto.getRandomValues(new Uint8Array(16))
  userHandle: string | undefined
  private keys: CryptoKeyPair | undefined

  constructor(private readonly options: SoftwareAuthenticatorOptions = {}) {}

  get id(): string {
    return isoBase64URL.fromBuffer(this.credentialId)
  }

  private flags(extra: number): number {
    const uv = this.options.userVerified === false ? 0 : FLAG.UV
    const backup = this.options.backedUp ? FLAG.BE | FLAG.BS : 0
    return FLAG.UP | uv | backup | extra
  }

  /** The answer to `navigator.credentials.create()` for creation options (JSON form). */
  async create(
    options: { challenge: string; rp: { id?: string }; user: { id: string } },
    origin: string,
    rpId = options.rp.id ?? '',
  ) {
    this.keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    this.userHandle = options.user.id
    const jwk = (await crypto.subtle.exportKey('jwk', this.keys.publicKey)) as JsonWebKey
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, isoBase64URL.toBuffer(jwk.x ?? '')],
        [-3, isoBase64URL.toBuffer(jwk.y ?? '')],
      ]),
    )
    const authData = concat(
      await sha256(encoder.encode(rpId)),
      new Uint8Array([this.flags(FLAG.AT)]),
      uint32(this.signCount),
      new Uint8Array(16),
      new Uint8Array([0, this.credentialId.length]),
      this.credentialId,
      cose,
    )
    const clientDataJSON = encoder.encode(
      JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin }),
    )
    const [fmt, attStmt] = await this.attestationStatement(authData, clientDataJSON)
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', fmt],
        ['attStmt', attStmt],
        ['authData', authData],
      ]) as never,
    )
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(concat(clientDataJSON)),
        attestationObject: isoBase64URL.fromBuffer(concat(attestationObject)),
        transports: ['internal' as const],
      },
    }
  }

  /** The attestation format and statement `create()` answers with (WebAuthn §8.2, §8.3). */
  private async attestationStatement(
    authData: Uint8Array,
    clientDataJSON: Uint8Array,
  ): Promise<[string, Map<string, unknown>]> {
    const kind = this.options.attestation ?? 'none'
    if (kind === 'none' || this.keys === undefined) return ['none', new Map()]
    // Self attestation signs authenticatorData || hash(clientDataJSON) with the credential key.
    const signed = concat(authData, await sha256(clientDataJSON))
    const sig = derSignature(
      new Uint8Array(
        await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.keys.privateKey, signed),
      ),
    )
    const statement = new Map<string, unknown>([
      ['alg', -7],
      ['sig', sig],
    ])
    if (kind === 'packed-self') return ['packed', statement]
    statement.set('x5c', [PLACEHOLDER_CERTIFICATE])
    if (kind === 'packed-x5c') return ['packed', statement]
    statement.set('ver', '2.0')
    statement.set('certInfo', new Uint8Array(8))
    statement.set('pubArea', new Uint8Array(8))
    return ['tpm', statement]
  }

  /** The answer to `navigator.credentials.get()` for a challenge (JSON form). */
  async get(challenge: string, origin: string, rpId: string, type = 'webauthn.get') {
    if (this.keys === undefined) throw new Error('create() first')
    this.signCount += 1
    const authData = concat(
      await sha256(encoder.encode(rpId)),
      new Uint8Array([this.flags(0)]),
      uint32(this.signCount),
    )
    const clientDataJSON = encoder.encode(JSON.stringify({ type, challenge, origin }))
    const signed = concat(authData, await sha256(clientDataJSON))
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.keys.privateKey, signed),
    )
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(concat(clientDataJSON)),
        authenticatorData: isoBase64URL.fromBuffer(authData),
        signature: isoBase64URL.fromBuffer(derSignature(raw)),
        ...(this.userHandle !== undefined && { userHandle: this.userHandle }),
      },
    }
  }
}
