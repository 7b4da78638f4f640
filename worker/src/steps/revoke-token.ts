import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { OAuthError } from '../errors'
import { revokeAccessToken, revokeGrantById } from '../storage/revocation'
import { identifyToken } from './identify-token'

/**
 * Revokes a client's own token: an access token by `jti`, a refresh token with its whole grant
 * (F09). Unknown, invalid, already revoked or another client's tokens change nothing and answer
 * all the same (§2.2; J02, J03), so nothing can be learned by probing. An ID token cannot be
 * revoked: unsupported_token_type (§2.2.1, J06).
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 RFC 7009 §2.1}
 */
export async function revokeToken(deps: Deps, client: Client, token: string): Promise<void> {
  const now = deps.now()
  const found = await identifyToken(deps, token, now)
  if (found.kind === 'id_token') {
    throw new OAuthError('unsupported_token_type', 'ID tokens cannot be revoked')
  }
  if (found.kind === 'access_token' && found.claims.client_id === client.id && !found.expired) {
    await revokeAccessToken(deps.db, String(found.claims.jti), Number(found.claims.exp))
  }
  if (found.kind === 'refresh_token' && found.stored.clientId === client.id) {
    await revokeGrantById(deps.db, found.stored.grantId, now)
  }
}
