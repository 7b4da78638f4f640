/**
 * A refresh token unused this long expires, even within its grant's lifetime (RFC 9700
 * §4.14.2, checklist F07); a grant itself ends with the session's absolute lifetime.
 */
export const REFRESH_TOKEN_IDLE_SECONDS = 24 * 3600

/**
 * Whether a grant may hold a refresh token: a hybrid client that allows it, with offline_access
 * (the administrator's setting is the consent, ARCHITECTURE.md). The SQL that issues refresh
 * tokens (storage/refresh-tokens.ts) checks the same conditions inside its transaction.
 */
export function mayHoldRefreshToken(
  scope: readonly string[],
  client: { type: string; allowRefreshToken: boolean },
): boolean {
  return client.type === 'hybrid' && client.allowRefreshToken && scope.includes('offline_access')
}
