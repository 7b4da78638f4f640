import type { Client } from '../../domain/client'
import { parseScope, SCOPES } from '../../domain/scope'
import { OAuthError } from '../../errors'
import type { ResponseType } from './check-response-type'

const KNOWN = new Set<string>(SCOPES)

/**
 * The scope an authorization may grant: known values only (invalid_scope otherwise, checklist
 * A03); `openid` when none is asked. `offline_access` is kept only for a hybrid client whose
 * administrator allowed refresh tokens, and dropped for any other client, not refused
 * (ARCHITECTURE.md; OIDC Core §11; checklist F01, F02).
 */
export function checkScope(
  scope: string | undefined,
  client: Client,
  responseType: ResponseType,
): string[] {
  const parsed = parseScope(scope)
  if (!parsed.ok) throw new OAuthError('invalid_scope', 'The scope parameter is malformed')
  if (parsed.values.some((value) => !KNOWN.has(value))) {
    throw new OAuthError('invalid_scope', 'A requested scope is not supported')
  }
  const values = parsed.values.length === 0 ? ['openid'] : parsed.values
  const refreshAllowed =
    client.type === 'hybrid' && client.allowRefreshToken && responseType.startsWith('code')
  return refreshAllowed ? values : values.filter((value) => value !== 'offline_access')
}
