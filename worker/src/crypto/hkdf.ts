/**
 * A key derived from a configured secret with HKDF-SHA256 (RFC 5869), one per purpose (`info`),
 * so a single Workers secret can safely serve several uses.
 * @see {@link https://www.rfc-editor.org/rfc/rfc5869 RFC 5869}
 */
export async function deriveFromSecret(
  secret: string,
  info: string,
  algorithm: SubtleCryptoImportKeyAlgorithm,
  usages: string[],
): Promise<CryptoKey> {
  const encoder = new TextEncoder()
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, [
    'deriveKey',
  ])
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode('edge-identity'),
      info: encoder.encode(info),
    },
    material,
    algorithm,
    false,
    usages,
  )
}
