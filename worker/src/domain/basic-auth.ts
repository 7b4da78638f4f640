export interface BasicCredentials {
  clientId: string
  clientSecret: string
}

/**
 * Reads `Authorization: Basic` client credentials. RFC 6749 §2.3.1 has the client id and secret
 * form-urlencoded (Appendix B) before they are joined with `:` and base64-encoded, so a `:`,
 * `%` or `+` in either survives (checklist D01). Answers undefined for another scheme, and
 * null for a Basic header that cannot be decoded.
 */
/** Stateless when used without streaming: one decoder serves every call. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

export function parseBasicAuthorization(
  header: string | undefined,
): BasicCredentials | null | undefined {
  if (header === undefined) return undefined
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header)
  if (match === null) return /^Basic\b/i.test(header) ? null : undefined
  let decoded: string
  try {
    const binary = atob(match[1] ?? '')
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    decoded = UTF8.decode(bytes)
  } catch {
    return null
  }
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  const clientId = formDecode(decoded.slice(0, colon))
  const clientSecret = formDecode(decoded.slice(colon + 1))
  if (clientId === null || clientSecret === null || clientId === '') return null
  return { clientId, clientSecret }
}

/** application/x-www-form-urlencoded decoding of one value; null when malformed. */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '))
  } catch {
    return null
  }
}
