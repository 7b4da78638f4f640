import type { JWTPayload } from 'jose'
import type { Deps } from '../deps'
import type { Client } from '../domain/client'
import { redirectUriMatches } from '../domain/redirect-uri'
import { OAuthError } from '../errors'
import { findClientById } from '../storage/clients'
import { verifyOwnIdToken } from './authorize/check-id-token-hint'
import { MAX_REFLECTED_LENGTH } from './authorize/run-authorization'

/** The parameters of an RP-initiated logout request, each sent once (or absent). */
export interface LogoutRequest {
  idTokenHint: string | undefined
  clientId: string | undefined
  postLogoutRedirectUri: string | undefined
  state: string | undefined
}

export interface VerifiedLogout {
  client: Client | null
  /** The claims of a valid `id_token_hint` this server issued, expired or not. */
  hinted: JWTPayload | undefined
  /** A post-logout redirect URI registered for the client, or undefined. */
  returnTo: string | undefined
}

/** Nothing of a refused logout request is sent anywhere: it is shown as a page. */
const refused = (description: string, detail: string) =>
  new OAuthError('invalid_request', description, {
    allowRedirect: false,
    page: { title: 'Sign-out failed', detail },
  })

/**
 * Checks an RP-initiated logout request: a hint must be an ID token of this server; `client_id`,
 * when sent with a hint, must be its audience; `post_logout_redirect_uri` must be registered
 * for the client (matched as redirect URIs are, domain/redirect-uri.ts `redirectUriMatches`);
 * `state` is bounded like the authorization request's (N09). Every refusal is a page.
 * @see {@link https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 *   RP-Initiated Logout §2}
 */
export async function checkLogoutRequest(
  deps: Deps,
  request: LogoutRequest,
): Promise<VerifiedLogout> {
  const hint = request.idTokenHint
  const hinted = hint === undefined ? undefined : await verifyOwnIdToken(deps, hint)
  if (hint !== undefined && hinted === undefined) {
    throw refused(
      'id_token_hint is not an ID token of this server',
      'The sign-out request carries an ID token this server did not issue.',
    )
  }
  const hintAudience = typeof hinted?.aud === 'string' ? hinted.aud : hinted?.aud?.[0]
  if (request.clientId !== undefined && hintAudience !== undefined) {
    if (request.clientId !== hintAudience) {
      throw refused(
        'client_id does not match the ID token',
        'client_id does not match the ID token.',
      )
    }
  }
  const clientId = request.clientId ?? hintAudience
  const client = clientId === undefined ? null : await findClientById(deps.db, clientId)
  const returnTo = request.postLogoutRedirectUri
  if (
    returnTo !== undefined &&
    (client === null ||
      !client.postLogoutRedirectUris.some((registered) => redirectUriMatches(registered, returnTo)))
  ) {
    throw refused(
      'post_logout_redirect_uri is not registered for the client',
      'The address to return to after sign-out is not registered.',
    )
  }
  if ((request.state?.length ?? 0) > MAX_REFLECTED_LENGTH) {
    throw refused(
      `state must be at most ${MAX_REFLECTED_LENGTH} characters`,
      'The sign-out request is not valid.',
    )
  }
  return { client, hinted, returnTo }
}
