/**
 * A refresh token unused this long expires, even within its grant's lifetime (RFC 9700
 * §4.14.2, checklist F07); a grant itself ends with the session's absolute lifetime.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 RFC 9700 §4.14.2}
 */
export const REFRESH_TOKEN_IDLE_SECONDS = 24 * 3600

/**
 * How long after a rotation the same client may present the rotated token again without it
 * counting as reuse: concurrent refreshes of one client (two tabs of a server-side app, a retry
 * after a lost response) lose with invalid_grant instead of revoking the tokens the winner was
 * just given (RFC 9700 §4.14.2 leaves this to the server; checklist N05). Another client
 * presenting it, or the same client later, still revokes the grant (F05). Refresh tokens go to
 * confidential (hybrid) clients only, so the grace only ever serves a holder of the secret.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 RFC 9700 §4.14.2}
 */
export const REFRESH_TOKEN_REUSE_GRACE_SECONDS = 5

/**
 * Whether a grant may hold a refresh token: a hybrid client that allows it, with offline_access
 * (the administrator's setting is the consent, docs/architecture.md). The SQL that issues refresh
 * tokens (storage/refresh-tokens.ts) checks the same conditions inside its transaction.
 */
export function mayHoldRefreshToken(
  scope: readonly string[],
  client: { type: string; allowRefreshToken: boolean },
): boolean {
  return client.type === 'hybrid' && client.allowRefreshToken && scope.includes('offline_access')
}
