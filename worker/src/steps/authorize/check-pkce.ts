import type { Client } from '../../domain/client'
import { isS256Challenge } from '../../domain/pkce'
import { OAuthError } from '../../errors'

/**
 * PKCE (RFC 7636): required from public clients (RFC 9700 §2.1.1, OAuth 2.1 §4.1.2.1; checklist
 * B01), optional for hybrid clients but checked when sent (B08). S256 only: `plain`, or no
 * method (which means plain, RFC 7636 §4.3), is refused (B02); a malformed challenge too (B03).
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1 RFC 9700 §2.1.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.1.2.1 RFC 9700 §4.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.3 RFC 7636 §4.3}
 */
export function checkPkce(
  challenge: string | undefined,
  method: string | undefined,
  client: Client,
): string | undefined {
  if (challenge === undefined) {
    if (client.type === 'authorization-code') {
      throw new OAuthError('invalid_request', 'code_challenge is required (PKCE with S256)')
    }
    if (method !== undefined)
      throw new OAuthError('invalid_request', 'code_challenge_method without code_challenge')
    return undefined
  }
  if (method !== 'S256')
    throw new OAuthError('invalid_request', 'code_challenge_method must be S256')
  if (!isS256Challenge(challenge)) {
    throw new OAuthError('invalid_request', 'code_challenge must be 43 base64url characters')
  }
  return challenge
}
