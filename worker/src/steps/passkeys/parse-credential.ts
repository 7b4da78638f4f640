import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { isCredentialId } from '../../domain/passkeys'

/**
 * The JSON of `PublicKeyCredential.toJSON()` as a form field carried it, checked for the shape
 * the library reads (an object with a well-formed credential id and a `response` object); the
 * library checks the rest. Undefined for anything else, so malformed input is a plain failure.
 * @see {@link https://www.w3.org/TR/webauthn-3/#dom-publickeycredential-tojson WebAuthn §5.1.8}
 */
export function parseCredential<T extends RegistrationResponseJSON | AuthenticationResponseJSON>(
  raw: string | undefined,
): T | undefined {
  if (raw === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const credential = value as Record<string, unknown>
  const response = credential.response
  if (!isCredentialId(credential.id) || credential.rawId !== credential.id) return undefined
  if (credential.type !== 'public-key') return undefined
  if (typeof response !== 'object' || response === null || Array.isArray(response)) return undefined
  return value as T
}
