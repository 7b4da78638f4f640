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
 * presenting it, or the same client later, still revokes the grant (F05). The grace applies to
 * confidential clients only (`reuseGraceSeconds`), so it only ever serves a holder of a credential.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 RFC 9700 §4.14.2}
 */
export const REFRESH_TOKEN_REUSE_GRACE_SECONDS = 5

/**
 * Whether a grant may hold a refresh token, with offline_access: a hybrid client that allows it
 * (the administrator's setting is the consent, docs/architecture.md), or a third-party client
 * that registered the refresh_token grant (RFC 7591 §2) and whose user consented to
 * offline_access on the consent page. The seed's authorization-code
 * clients never (checklist F01). The SQL that issues refresh tokens (storage/refresh-tokens.ts)
 * checks the same conditions inside its transaction, and for a third-party client that the
 * user's remembered consent still holds offline_access.
 */
export function mayHoldRefreshToken(
  scope: readonly string[],
  client: { type: string; allowRefreshToken: boolean; thirdParty?: object | null },
): boolean {
  // A third-party client's allowRefreshToken says it registered the refresh_token grant
  // (RFC 7591 §2 `grant_types`, in its registration or its metadata document).
  const kindAllows = client.type === 'hybrid' || (client.thirdParty ?? null) !== null
  return kindAllows && client.allowRefreshToken && scope.includes('offline_access')
}

/**
 * The reuse grace of a client's refresh tokens: none for a public client (a third-party client
 * without client authentication), where anyone holding a stolen token is indistinguishable from
 * the client, so any reuse revokes the grant at once (checklist F05).
 */
export function reuseGraceSeconds(client: {
  thirdParty: { tokenEndpointAuthMethod: string } | null
}): number {
  return client.thirdParty?.tokenEndpointAuthMethod === 'none'
    ? 0
    : REFRESH_TOKEN_REUSE_GRACE_SECONDS
}
